using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// How a replica stops: the preStop sleep (while endpoint removal spreads), the pod's drain of
/// admitted requests, and the grace period the kubelet allows for both. Without the sleep
/// action (Kubernetes before 1.30), or with it turned off, no hook is set; a configured sleep
/// the server cannot run goes to the drain instead, so the grace period stays the same.
/// </summary>
public sealed record PodShutdown(int PreStopSleepSeconds, int DrainTimeoutSeconds, long TerminationGracePeriodSeconds)
{
    public const int MaxDrainTimeoutSeconds = 3600;

    public static PodShutdown For(InferenceServiceSpec spec, ReconcileSettings settings, ClusterCapabilities cluster)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(cluster);
        var sleep = cluster.PreStopSleep ? settings.PreStopSleepSeconds : 0;
        // The pod takes at most an hour of drain (its own limit).
        var drain = Math.Min(MaxDrainTimeoutSeconds, spec.Serving.DrainTimeoutSeconds + (settings.PreStopSleepSeconds - sleep));
        return new PodShutdown(sleep, drain, (long)sleep + drain + settings.TerminationGraceMarginSeconds);
    }
}
