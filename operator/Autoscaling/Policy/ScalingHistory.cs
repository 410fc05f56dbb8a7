using System.Collections.Immutable;

namespace Platform.Operator.Autoscaling.Policy;

/// <summary>A replica count the policy proposed at a moment, before stabilization.</summary>
public readonly record struct TimedRecommendation(DateTimeOffset At, int Replicas);

/// <summary>A change of the replica count the policy decided (positive up, negative down).</summary>
public readonly record struct ScaleEvent(DateTimeOffset At, int Change);

/// <summary>
/// Knative-style panic state: when panic began (null when calm), when the trigger last
/// fired, and the highest count decided during this panic (panic never lowers it).
/// </summary>
public readonly record struct PanicState(DateTimeOffset? Since, DateTimeOffset LastTriggered, int HighestReplicas)
{
    public bool Active => Since is not null;
}

/// <summary>
/// Requests per second one ready replica served while the service sat at its target
/// (load per replica within 20% of the target), learned as a moving average, with the
/// target and the pod version it was learned at (it holds for those only).
/// </summary>
public readonly record struct ThroughputAtTarget(double RequestsPerSecondPerReplica, DateTimeOffset ObservedAt, double Target, string? PodVersion);

/// <summary>
/// What the policy remembers between decisions of one service. Immutable; each decision
/// returns the next history.
/// </summary>
public sealed record ScalingHistory(
    ImmutableArray<TimedRecommendation> Recommendations,
    ImmutableArray<ScaleEvent> Events,
    PanicState Panic)
{
    /// <summary>The learned throughput per replica at the target, if the service has been seen there.</summary>
    public ThroughputAtTarget? Throughput { get; init; }

    /// <summary>The forecast of the service's arrival rate; null until the rate rule has seen a rate.</summary>
    public ArrivalForecast? Forecast { get; init; }

    /// <summary>Observed over predicted p95 of the capacity model, smoothed (see <see cref="Capacity.CapacityCorrection"/>).</summary>
    public double CapacityRatio { get; init; } = 1;

    /// <summary>A history with nothing in it.</summary>
    public static readonly ScalingHistory Empty = new([], [], default);

    /// <summary>
    /// The history to start from when the process starts (or becomes leader) while the
    /// service already runs <paramref name="currentReplicas"/>: it holds that count as a
    /// recommendation, so nothing is scaled down before a full scale-down window of fresh
    /// observations, the same protection KPA gets by starting in panic.
    /// </summary>
    public static ScalingHistory StartingAt(DateTimeOffset now, int currentReplicas) =>
        new([new TimedRecommendation(now, currentReplicas)], [], default);

    internal ScalingHistory Prune(DateTimeOffset now, TimeSpan retention)
    {
        var cutoff = now - retention;
        return this with
        {
            Recommendations = Recommendations.RemoveAll(r => r.At <= cutoff),
            Events = Events.RemoveAll(e => e.At <= cutoff),
        };
    }
}
