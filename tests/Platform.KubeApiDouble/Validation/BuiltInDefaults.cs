using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;

namespace Platform.KubeApiDouble.Validation;

/// <summary>
/// The defaults the API server fills into built-in kinds that a controller compares against
/// (Deployment, pod template, Service, Secret). A controller that diffs whole objects instead
/// of the fields it owns sees these, as it would on a real cluster.
/// </summary>
internal static class BuiltInDefaults
{
    public static void Apply(string group, string kind, JsonObject obj)
    {
        switch (group, kind)
        {
            case ("apps", "Deployment"):
                DefaultDeployment(obj.EnsureObject("spec"));
                break;
            case ("", "Pod"):
                DefaultPodSpec(obj.EnsureObject("spec"));
                break;
            case ("", "Service"):
                DefaultService(obj.EnsureObject("spec"));
                break;
            case ("", "Secret"):
                obj["type"] ??= "Opaque";
                break;
        }
    }

    private static void DefaultDeployment(JsonObject spec)
    {
        spec["replicas"] ??= 1;
        spec["revisionHistoryLimit"] ??= 10;
        spec["progressDeadlineSeconds"] ??= 600;
        var strategy = spec.EnsureObject("strategy");
        strategy["type"] ??= "RollingUpdate";
        if (strategy.StringAt("type") == "RollingUpdate")
        {
            var rolling = strategy.EnsureObject("rollingUpdate");
            rolling["maxUnavailable"] ??= "25%";
            rolling["maxSurge"] ??= "25%";
        }

        DefaultPodSpec(spec.EnsureObject("template").EnsureObject("spec"));
    }

    private static void DefaultPodSpec(JsonObject podSpec)
    {
        podSpec["restartPolicy"] ??= "Always";
        podSpec["terminationGracePeriodSeconds"] ??= 30;
        podSpec["dnsPolicy"] ??= "ClusterFirst";
        podSpec["securityContext"] ??= new JsonObject();
        podSpec["schedulerName"] ??= "default-scheduler";
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in podSpec.ArrayAt(list)?.OfType<JsonObject>() ?? [])
            {
                DefaultContainer(container);
            }
        }
    }

    private static void DefaultContainer(JsonObject container)
    {
        container["terminationMessagePath"] ??= "/dev/termination-log";
        container["terminationMessagePolicy"] ??= "File";
        var image = container.StringAt("image") ?? string.Empty;
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var pinned = image.Contains('@') || (lastSegment.Contains(':') && !lastSegment.EndsWith(":latest", StringComparison.Ordinal));
        container["imagePullPolicy"] ??= pinned ? "IfNotPresent" : "Always";
        foreach (var port in container.ArrayAt("ports")?.OfType<JsonObject>() ?? [])
        {
            port["protocol"] ??= "TCP";
        }

        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container.ObjectAt(probe) is { } p)
            {
                p["timeoutSeconds"] ??= 1;
                p["periodSeconds"] ??= 10;
                p["successThreshold"] ??= 1;
                p["failureThreshold"] ??= 3;
                if (p.ObjectAt("httpGet") is { } httpGet)
                {
                    httpGet["scheme"] ??= "HTTP";
                }
            }
        }
    }

    private static void DefaultService(JsonObject spec)
    {
        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        spec["internalTrafficPolicy"] ??= "Cluster";
        spec["ipFamilyPolicy"] ??= "SingleStack";
        spec["ipFamilies"] ??= new JsonArray("IPv4");
        foreach (var port in spec.ArrayAt("ports")?.OfType<JsonObject>() ?? [])
        {
            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
        }
    }
}
