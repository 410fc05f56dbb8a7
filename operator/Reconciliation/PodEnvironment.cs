using System.Globalization;
using k8s.Models;
using Platform.Contracts;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// The inference container's environment: the pod settings derived from the spec (named by
/// <see cref="PodSettings"/>), then the user's spec.env minus any variable that would
/// override one of them.
/// </summary>
public static class PodEnvironment
{
    /// <param name="shutdown">How the replica stops (its drain); null: as on a server with every capability.</param>
    public static IList<V1EnvVar> Build(InferenceService service, ReconcileSettings settings, PodShutdown? shutdown = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(settings);
        shutdown ??= PodShutdown.For(service.Spec, settings, ClusterCapabilities.Newest);
        var operatorVariables = OperatorVariables(service, settings, shutdown);
        var reserved = ReservedKeys(service.Spec);
        var result = new List<V1EnvVar>(operatorVariables);
        foreach (var variable in service.Spec.Env ?? [])
        {
            if (!IsReserved(variable.Name, reserved))
            {
                result.Add(variable);
            }
        }
        return result;
    }

    /// <summary>
    /// Names in spec.env that the operator drops because it sets that setting itself, so the
    /// controller can tell the user (an event) instead of ignoring them silently.
    /// </summary>
    public static IReadOnlyList<string> OverriddenUserVariables(InferenceServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var reserved = ReservedKeys(spec);
        return [.. (spec.Env ?? []).Where(v => IsReserved(v.Name, reserved)).Select(v => v.Name)];
    }

    private static List<V1EnvVar> OperatorVariables(InferenceService service, ReconcileSettings settings, PodShutdown shutdown)
    {
        var spec = service.Spec;
        var serving = spec.Serving;
        var variables = new List<V1EnvVar>
        {
            Plain(PodSettings.HttpPortsEnvVar, PodSettings.DefaultHttpPort),
            Setting(PodSettings.ModelPath, $"{settings.ModelMountPath}/{spec.Model.Path}"),
            Setting(PodSettings.ModelName, EffectiveSpec.ModelName(service)),
        };
        if (!string.IsNullOrEmpty(spec.Model.Version))
        {
            variables.Add(Setting(PodSettings.ModelVersion, spec.Model.Version));
        }
        // Without instances the pod searches its thread layout at start-up. Threads per instance
        // are never set here: the pod derives them from its cgroup CPU quota (resources.cpu),
        // which also covers a user-set instance count.
        if (serving.Instances is { } instances)
        {
            variables.Add(Setting(PodSettings.ModelInstances, instances));
        }
        variables.Add(Setting(PodSettings.ModelExecutionProvider, EffectiveSpec.PodSettingValue(EffectiveSpec.ExecutionProvider(spec))));
        variables.Add(Setting(PodSettings.BatchingMaxBatchSize, serving.MaxBatchSize));
        variables.Add(Setting(PodSettings.BatchingMaxQueueDelayMs, serving.MaxQueueDelayMs));
        variables.Add(Setting(PodSettings.QueueCapacity, serving.QueueCapacity));
        variables.Add(Setting(PodSettings.QueueDefaultTimeoutMs, serving.TimeoutMs));
        variables.Add(Setting(PodSettings.QueuePriorityLevels, serving.PriorityLevels));
        // The pod reads its warm-up sizes as one comma-separated value ("1,8,32").
        if (serving.WarmupBatchSizes is { Count: > 0 } warmup)
        {
            variables.Add(Setting(PodSettings.WarmupBatchSizes, string.Join(",", warmup)));
        }
        variables.Add(Setting(PodSettings.ServerDrainTimeoutSeconds, shutdown.DrainTimeoutSeconds));
        // Set rather than left to the pod's default: the container port and the Service target it.
        variables.Add(Setting(PodSettings.ServerGrpcPort, PodSettings.DefaultGrpcPort));
        variables.AddRange(FeatureEnvironment.Build(spec, settings.ModelMountPath).Select(s => s.Variable));
        return variables;
    }

    /// <summary>
    /// Configuration keys the operator sets, normalised as .NET configuration sees them
    /// ("Model:Path", case-insensitive), plus the host's URL settings that would move the
    /// port the probes and the Service use. Model:Instances is the operator's only when
    /// spec.serving.instances is set, and Model:IntraOpThreads never is: spec.env may set
    /// them, and the pod reports the layout it runs (the autoscaler reads it from there).
    /// </summary>
    private static HashSet<string> ReservedKeys(InferenceServiceSpec spec)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            PodSettings.ModelPath, PodSettings.ModelName, PodSettings.ModelVersion,
            PodSettings.ModelExecutionProvider, PodSettings.BatchingMaxBatchSize, PodSettings.BatchingMaxQueueDelayMs,
            PodSettings.QueueCapacity, PodSettings.QueueDefaultTimeoutMs, PodSettings.QueuePriorityLevels,
            PodSettings.ServerDrainTimeoutSeconds, PodSettings.ServerGrpcPort,
            "urls", "http_ports", "https_ports",
        };
        if (spec.Serving.Instances is not null)
        {
            keys.Add(PodSettings.ModelInstances);
        }
        if (spec.Serving.WarmupBatchSizes is not null)
        {
            keys.Add(PodSettings.WarmupBatchSizes);
        }
        keys.UnionWith(FeatureEnvironment.Keys(spec));
        return keys;
    }

    private static bool IsReserved(string? name, HashSet<string> reserved)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }
        // The web host also reads ASPNETCORE_- and DOTNET_-prefixed variables as configuration.
        var key = name;
        foreach (var prefix in (string[])["ASPNETCORE_", "DOTNET_"])
        {
            if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                key = key[prefix.Length..];
                break;
            }
        }
        key = key.Replace("__", ":", StringComparison.Ordinal);
        if (reserved.Contains(key))
        {
            return true;
        }
        // A list the operator sets must not get extra items (Warmup:BatchSizes:7).
        var lastColon = key.LastIndexOf(':');
        return lastColon > 0 && reserved.Contains(key[..lastColon]) && int.TryParse(key[(lastColon + 1)..], out _)
            && key.StartsWith(PodSettings.WarmupBatchSizes, StringComparison.OrdinalIgnoreCase);
    }

    private static V1EnvVar Setting(string key, string value) => new() { Name = PodSettings.EnvVar(key), Value = value };

    private static V1EnvVar Setting(string key, int value) => Setting(key, value.ToString(CultureInfo.InvariantCulture));

    private static V1EnvVar Plain(string name, int value) => new() { Name = name, Value = value.ToString(CultureInfo.InvariantCulture) };
}
