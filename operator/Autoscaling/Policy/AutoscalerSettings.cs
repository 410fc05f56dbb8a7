namespace Platform.Operator.Autoscaling.Policy;

/// <summary>
/// The tunables of one service's autoscaler. Defaults follow the HPA (tolerance,
/// windows, step policies) and Knative's KPA (panic); the targets come from the service.
/// </summary>
public sealed record AutoscalerSettings
{
    public int MinReplicas { get; init; } = 1;

    public int MaxReplicas { get; init; } = 10;

    /// <summary>
    /// Target of requests per replica that the pod has admitted and not yet answered: its
    /// queue depth plus the batch being computed (the pod's in-flight gauge). The batch is
    /// counted because a pod that drains its whole queue into each batch, as a GPU pod
    /// does, otherwise reads near zero however busy it is. A good value is the pod's
    /// maximum batch size: the work one replica clears in about one batch time.
    /// </summary>
    public double TargetQueueDepthPerReplica { get; init; } = 8;

    /// <summary>Target for the windowed p95 latency; null scales on queue depth alone.</summary>
    public TimeSpan? TargetLatencyP95 { get; init; }

    /// <summary>
    /// How far ahead a rising arrival rate is projected when proposing replicas: a pod asked
    /// for now serves only after its cold start, so this should be the pods' time from
    /// creation to Ready (which the operator can measure). Zero projects nothing. The rate
    /// of rise is the difference between the short and the stable window's arrival rates;
    /// a falling rate is never projected.
    /// </summary>
    public TimeSpan ScaleUpLeadTime { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// The pods' batcher. With it and a target p95, and once pods export their service-time
    /// curve, replicas are sized from the forecast arrival rate against each pod's capacity
    /// at the target (see <see cref="CapacityRule"/>); queue depth, p95 and panic remain the
    /// reactive guard. Null turns the rule off.
    /// </summary>
    public Capacity.BatcherShape? Batcher { get; init; }

    /// <summary>Relative change of the proposal that is ignored (HPA: 0.1).</summary>
    public double Tolerance { get; init; } = 0.1;

    /// <summary>
    /// How long the throughput per replica learned near the target bounds scale-down (see
    /// <see cref="ScalingPolicy"/>); zero turns the bound off. It keeps a CPU-like pod, whose
    /// queue grows like ρ/(1−ρ), from being scaled far below its need when load falls, which
    /// is what lets the scale-down window be shorter than the HPA's.
    /// </summary>
    public TimeSpan ThroughputMemory { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// What identifies the pods' code and model (the operator uses the pod template's hash):
    /// a throughput learned on one version does not bound the replicas of another.
    /// </summary>
    public string? PodVersion { get; init; }

    public ScalingRules ScaleUp { get; init; } = ScalingRules.DefaultScaleUp;

    /// <summary>
    /// Scale-down rules: a 120 s window (the HPA's is 300 s) and up to 100% per 15 s. With the
    /// throughput bound, the shorter window kept the same SLO attainment in the simulator
    /// (bench/autoscaling) and cost 6–30% fewer replica-seconds on all but one trace; without
    /// the bound it lost up to 6 points of attainment on falling CPU load.
    /// </summary>
    public ScalingRules ScaleDown { get; init; } = ScalingRules.DefaultScaleDown with { StabilizationWindow = TimeSpan.FromSeconds(120) };

    public PanicSettings Panic { get; init; } = PanicSettings.Default;

    /// <summary>How long past recommendations and scale events must be remembered.</summary>
    public TimeSpan HistoryRetention => new[]
    {
        ScaleUp.StabilizationWindow, ScaleDown.StabilizationWindow, ScaleUp.LongestPeriod, ScaleDown.LongestPeriod,
    }.Max();

    /// <summary>Every problem with the settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MinReplicas < 1)
        {
            errors.Add($"minReplicas must be at least 1 (was {MinReplicas}); scaling to zero is not supported.");
        }

        if (MaxReplicas < MinReplicas)
        {
            errors.Add($"maxReplicas ({MaxReplicas}) must not be less than minReplicas ({MinReplicas}).");
        }

        if (!(TargetQueueDepthPerReplica > 0) || double.IsInfinity(TargetQueueDepthPerReplica))
        {
            errors.Add($"target queue depth per replica must be a positive number (was {TargetQueueDepthPerReplica}).");
        }

        if (TargetLatencyP95 is { } latency && latency <= TimeSpan.Zero)
        {
            errors.Add($"target p95 latency must be positive (was {latency}).");
        }

        if (ScaleUpLeadTime < TimeSpan.Zero)
        {
            errors.Add($"scale-up lead time must not be negative (was {ScaleUpLeadTime}).");
        }

        if (!(Tolerance >= 0 && Tolerance < 1))
        {
            errors.Add($"tolerance must be in [0, 1) (was {Tolerance}).");
        }

        if (ThroughputMemory < TimeSpan.Zero)
        {
            errors.Add($"throughput memory must not be negative (was {ThroughputMemory}).");
        }

        if (Batcher is { } batcher)
        {
            errors.AddRange(batcher.Validate());
        }

        ScaleUp.Validate("scale-up", errors);
        ScaleDown.Validate("scale-down", errors);
        Panic.Validate(errors);
        return errors;
    }
}
