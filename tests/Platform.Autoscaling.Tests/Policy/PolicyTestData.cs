using System.Collections.Immutable;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.Autoscaling.Tests.Policy;

internal static class PolicyTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Target 8 per replica, 1..20 replicas, HPA and KPA defaults otherwise.</summary>
    public static readonly AutoscalerSettings Settings = new() { MinReplicas = 1, MaxReplicas = 20, TargetQueueDepthPerReplica = 8 };

    /// <summary>The same without panic mode, to test the other rules alone.</summary>
    public static readonly AutoscalerSettings Calm = Settings with { Panic = PanicSettings.Default with { Enabled = false } };

    /// <summary>Signals of <paramref name="ready"/> measured pods carrying <paramref name="inFlight"/> requests, steadily.</summary>
    public static ScalingSignals Load(
        double inFlight, int ready, int notReady = 0, double? p95 = null, string[]? missing = null, double rate = 100, double rejected = 0)
    {
        var window = new WindowSignals(ready, rate, rejected, inFlight, p95);
        var missingPods = (missing ?? []).ToImmutableArray();
        return new ScalingSignals(ready, notReady, missingPods, ready - missingPods.Length, inFlight / 2, inFlight, window, window);
    }

    public static ScalingDecision Decide(double atSeconds, int current, ScalingSignals signals, ScalingHistory? history = null, AutoscalerSettings? settings = null) =>
        ScalingPolicy.Decide(T0.AddSeconds(atSeconds), current, signals, history ?? ScalingHistory.Empty, settings ?? Settings);
}
