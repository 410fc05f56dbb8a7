using k8s;
using k8s.Models;

namespace Platform.Operator.Controller;

/// <summary>
/// What the informer caches keep of each object: what reconcile, status and the autoscaler read,
/// nothing more (as controller-runtime's cache transforms do). managedFields (often larger than
/// the object), kubectl's last-applied annotation, the Deployment's pod template (the operator
/// compares its own desired-state hash annotation, never the template) and a Pod's spec beyond
/// its containers' names and limits are dropped before caching; with a thousand services that
/// is most of the operator's memory.
/// </summary>
public static class CacheTransforms
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>The transform for <typeparamref name="T"/>: metadata trimmed for every kind, plus the kind's own.</summary>
    public static Func<T, T> For<T>() where T : class, IKubernetesObject<V1ObjectMeta> => typeof(T) switch
    {
        var t when t == typeof(V1Deployment) => o => (T)(object)Deployment((V1Deployment)(object)o),
        var t when t == typeof(V1Pod) => o => (T)(object)Pod((V1Pod)(object)o),
        _ => o => { Metadata(o.Metadata); return o; },
    };

    public static V1Deployment Deployment(V1Deployment deployment)
    {
        Metadata(deployment.Metadata);
        // Read: metadata (generation, desired-state hash), spec.replicas, status.
        if (deployment.Spec is { } spec) spec.Template = null!;
        return deployment;
    }

    public static V1Pod Pod(V1Pod pod)
    {
        Metadata(pod.Metadata);
        // Read: metadata (labels, annotations, timestamps), status, and each container's GPU limit (diagnosis).
        if (pod.Spec is { } spec)
        {
            pod.Spec = new V1PodSpec
            {
                NodeName = spec.NodeName,
                Containers = spec.Containers?.Select(c => new V1Container
                {
                    Name = c.Name,
                    Resources = c.Resources?.Limits is { } limits ? new V1ResourceRequirements { Limits = limits } : null,
                }).ToList() ?? [],
            };
        }
        return pod;
    }

    private static void Metadata(V1ObjectMeta? metadata)
    {
        if (metadata is null) return;
        metadata.ManagedFields = null;
        if (metadata.Annotations?.ContainsKey(LastApplied) == true)
        {
            metadata.Annotations = new Dictionary<string, string>(metadata.Annotations.Where(a => a.Key != LastApplied), StringComparer.Ordinal);
        }
    }
}
