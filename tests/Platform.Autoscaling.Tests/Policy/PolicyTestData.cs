using System.Collections.Immutable;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.Autoscaling.Tests.Policy;

internal static class PolicyTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Target 8 per replica, 1..20 replicas, the HPA's scale-down window (300 s) and no
    /// learned throughput bound, so each rule can be tested alone; defaults otherwise.
    /// </summary>
    public static readonly AutoscalerSettings Settings = new()
    {
        MinReplicas = 1,
        MaxReplicas = 20,
        TargetQueueDepthPerReplica = 8,
        ScaleDown = ScalingRules.DefaultScaleDown,
        ThroughputMemory = TimeSpan.Zero,
    };

    /// <summary>The same without panic mode, to test the other rules alone.</summary>
    public static readonly AutoscalerSettings Calm = Settings with { Panic = PanicSettings.Default with { Enabled = false } };

    /// <summary>
    /// Signals of <paramref name="ready"/> pods carrying <paramref name="inFlight"/> requests,
    /// steadily; unless given, requests take 100 ms, so the rate is ten times the in-flight.
    /// </summary>
    public static ScalingSignals Load(
        double inFlight, int ready, int notReady = 0, double? p95 = null, string[]? missing = null, double? rate = null, double rejected = 0)
    {
        var answered = rate ?? inFlight * 10;
        var window = new WindowSignals(ready, 30, answered, answered + rejected, rejected, inFlight, p95);
        return Even(ready, notReady, (missing ?? []).ToImmutableArray(), inFlight, window, window with { Seconds = 5 });
    }

    /// <summary>
    /// Pods saturated at 1.25 × the target of <see cref="Settings"/> (10 in flight each)
    /// while requests arrive for <paramref name="offeredInFlight"/>: the excess shows as
    /// arrivals over answers, as when queues fill and refuse.
    /// </summary>
    public static ScalingSignals Overloaded(double offeredInFlight, int ready, int notReady = 0, string[]? missing = null)
    {
        var missingPods = (missing ?? []).ToImmutableArray();
        var held = 10.0 * (ready - missingPods.Length);
        var answered = held * 10;
        var arriving = answered * offeredInFlight / held;
        var window = new WindowSignals(ready, 30, answered, arriving, arriving - answered, held, null);
        return Even(ready, notReady, missingPods, held, window, window with { Seconds = 5 });
    }

    /// <summary>Signals whose measured pods share the given totals evenly.</summary>
    public static ScalingSignals Even(int ready, int notReady, ImmutableArray<string> missing, double inFlight, WindowSignals stable, WindowSignals recent)
    {
        var measured = ready - missing.Length;
        var pods = Enumerable.Range(0, measured)
            .Select(i => new PodSignals($"pod-{i}", inFlight / 2 / measured, inFlight / measured, Share(stable, measured), Share(recent, measured)))
            .ToImmutableArray();
        return new ScalingSignals(ready, notReady, missing, measured, inFlight / 2, inFlight, stable with { PodsWithHistory = measured }, recent with { PodsWithHistory = measured })
        {
            Pods = pods,
        };
    }

    private static WindowSignals Share(WindowSignals total, int pods) => new(
        1, total.Seconds, total.RequestRate / pods, total.ArrivalRate / pods, total.OverloadRejectionRate / pods, total.AverageInFlight / pods, total.LatencyQuantileSeconds);

    public static ScalingDecision Decide(double atSeconds, int current, ScalingSignals signals, ScalingHistory? history = null, AutoscalerSettings? settings = null) =>
        ScalingPolicy.Decide(T0.AddSeconds(atSeconds), current, signals, history ?? ScalingHistory.Empty, settings ?? Settings);
}
