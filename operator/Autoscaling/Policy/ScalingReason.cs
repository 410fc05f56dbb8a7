namespace Platform.Operator.Autoscaling.Policy;

/// <summary>Why the policy chose its replica count: the last rule that shaped it.</summary>
public enum ScalingReason
{
    /// <summary>No pod could be measured; the count is kept.</summary>
    NoMetrics,

    /// <summary>The current count was below the minimum and is raised to it.</summary>
    BelowMinimum,

    /// <summary>The current count was above the maximum and is lowered to it.</summary>
    AboveMaximum,

    /// <summary>The proposal equals the current count.</summary>
    Steady,

    /// <summary>The proposal is within the tolerance of the current count.</summary>
    WithinTolerance,

    /// <summary>Scaling up because of queue depth.</summary>
    ScaleUpQueueDepth,

    /// <summary>Scaling up because the forecast arrival rate needs more pods at their capacity at the target p95.</summary>
    ScaleUpArrivalRate,

    /// <summary>Scaling up because the p95 latency is above its target.</summary>
    ScaleUpLatency,

    /// <summary>Scaling down: the load fits fewer replicas.</summary>
    ScaleDown,

    /// <summary>The scale-up stabilization window holds the count lower.</summary>
    ScaleUpStabilized,

    /// <summary>The scale-down stabilization window holds the count higher.</summary>
    ScaleDownStabilized,

    /// <summary>A scale-up step policy caps the change.</summary>
    ScaleUpLimited,

    /// <summary>A scale-down step policy caps the change.</summary>
    ScaleDownLimited,

    /// <summary>
    /// Scale-down stopped at the replicas the arrival rate needs at the throughput per
    /// replica learned at the target.
    /// </summary>
    ScaleDownLimitedByThroughput,

    /// <summary>Some ready pods have no fresh metrics, so no scale-down.</summary>
    ScaleDownBlockedMissingMetrics,

    /// <summary>Some measured pods were scraped only once (no window yet), so no scale-down.</summary>
    ScaleDownBlockedNoWindow,

    /// <summary>Panic: scaling up at once to the short-window proposal.</summary>
    PanicScaleUp,

    /// <summary>Panic: holding the count until the load stays calm.</summary>
    PanicHold,

    /// <summary>The proposal is above the maximum.</summary>
    LimitedByMaximum,

    /// <summary>The proposal is below the minimum.</summary>
    LimitedByMinimum,
}
