using k8s.Models;

namespace Platform.Operator.Autoscaling.Actuation;

/// <summary>
/// How long a new replica of a service takes from creation to Ready (scheduling, image pull,
/// model load, warm-up), measured on its own pods: the lead time a scale-up must look ahead by,
/// since a pod asked for now serves only after it.
/// </summary>
public static class PodStartTime
{
    /// <summary>Longer samples are pods that turned ready again after a restart, not starts.</summary>
    public static readonly TimeSpan MaxSample = TimeSpan.FromMinutes(10);

    /// <summary>The median creation-to-Ready time of the ready pods; null when no pod has a usable sample.</summary>
    public static TimeSpan? Median(IEnumerable<V1Pod> pods)
    {
        var samples = pods.Select(Sample).OfType<TimeSpan>().Order().ToList();
        return samples.Count == 0 ? null : samples[(samples.Count - 1) / 2];
    }

    /// <summary>The 90th percentile (nearest rank) of the ready pods' creation-to-Ready times; null without a sample.</summary>
    public static TimeSpan? P90(IEnumerable<V1Pod> pods)
    {
        var samples = pods.Select(Sample).OfType<TimeSpan>().Order().ToList();
        return samples.Count == 0 ? null : samples[(int)Math.Ceiling(0.9 * samples.Count) - 1];
    }

    private static TimeSpan? Sample(V1Pod pod)
    {
        if (pod.Metadata?.CreationTimestamp is not { } created) return null;
        var ready = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status == "True");
        if (ready?.LastTransitionTime is not { } readyAt) return null;
        var took = readyAt - created;
        return took >= TimeSpan.Zero && took <= MaxSample ? took : null;
    }
}
