using Platform.Operator.Autoscaling.Signals;

namespace Platform.Operator.Autoscaling.Policy;

/// <summary>The load the queue proposals are computed from, in requests in flight.</summary>
internal static class LoadEstimate
{
    /// <summary>
    /// Requests in flight per pod, as a multiple of the target, beyond which a pod is taken
    /// as saturated. Past that point its queue length says how big the queue may grow, not
    /// how much load there is; the excess shows in arrivals over answers instead. The value
    /// assumes a pod at its target serves about 80% of what it serves saturated.
    /// </summary>
    public const double SaturatedMultipleOfTarget = 1.25;

    /// <summary>Caps the arrivals-over-answers correction, so one odd window cannot ask for unbounded pods.</summary>
    private const double MaxOverloadFactor = 10;

    /// <summary>
    /// Requests in flight the service would carry at the rate requests arrive, summed pod by
    /// pod: each pod's averaged in-flight (capped where it is saturated) scaled by its
    /// arrivals over answers. Refused requests never show in the in-flight gauges, so a
    /// saturated pod would otherwise under-state its load; a queue held at its capacity
    /// would over-state it. A pod without a window yet counts its current in-flight.
    /// Pods are taken one by one so that a saturated pod's ratio is not applied to a pod
    /// that just started.
    /// </summary>
    public static double OfferedInFlight(IEnumerable<PodSignals> pods, Func<PodSignals, WindowSignals?> window, double targetPerReplica)
    {
        var saturated = SaturatedMultipleOfTarget * targetPerReplica;
        var total = 0.0;
        foreach (var pod in pods)
        {
            var w = window(pod);
            total += w is null ? Math.Min(pod.InFlight, saturated) : Math.Min(w.AverageInFlight, saturated) * OverloadFactor(w);
        }

        return total;
    }

    /// <summary>
    /// The load of the ready pods without fresh metrics, each counted at the larger of the
    /// target and the measured pods' mean. A scrape fails most often on a pod too busy to
    /// answer it; counting such a pod as empty would understate the need exactly when the
    /// service is overloaded, while the pod still counts as ready capacity.
    /// </summary>
    public static double OfMissingPods(ScalingSignals signals, double measuredLoad, double targetPerReplica)
    {
        if (signals.MissingPods.IsEmpty)
        {
            return 0;
        }

        var measured = signals.Pods.Length;
        var mean = measured > 0 ? measuredLoad / measured : 0;
        return signals.MissingPods.Length * Math.Max(targetPerReplica, mean);
    }

    private static double OverloadFactor(WindowSignals w)
    {
        if (w.RequestRate > 0)
        {
            return Math.Clamp(w.ArrivalRate / w.RequestRate, 1, MaxOverloadFactor);
        }

        return w.ArrivalRate > 0 ? MaxOverloadFactor : 1;
    }
}
