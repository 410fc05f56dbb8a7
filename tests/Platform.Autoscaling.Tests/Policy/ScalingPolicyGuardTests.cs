using System.Collections.Immutable;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Signals;
using static Platform.Autoscaling.Tests.Policy.PolicyTestData;

namespace Platform.Autoscaling.Tests.Policy;

/// <summary>The rules that keep the policy from acting on evidence it does not have.</summary>
public class ScalingPolicyGuardTests
{
    private static readonly AutoscalerSettings NoWindows = Calm with { ScaleDown = ScalingRules.DefaultScaleDown with { StabilizationWindow = TimeSpan.Zero } };

    /// <summary>Pods scraped once: gauges only, no window.</summary>
    private static ScalingSignals FirstScrapes(int pods, double inFlightEach) => new(
        pods, 0, [], pods, 0, pods * inFlightEach, WindowSignals.None, WindowSignals.None)
    {
        Pods = [.. Enumerable.Range(0, pods).Select(i => new PodSignals($"pod-{i}", 0, inFlightEach, null, null))],
    };

    [Fact]
    public void No_scale_down_from_a_single_scrape_of_gauges()
    {
        // Two idle-looking pods at the first scrape from an empty history: before, 2 → 1.
        var decision = ScalingPolicy.Decide(T0, 2, FirstScrapes(2, 0), ScalingHistory.Empty, NoWindows);

        Assert.Equal(2, decision.DesiredReplicas);
        Assert.Equal(ScalingReason.ScaleDownBlockedNoWindow, decision.Reason);
        Assert.Contains("pod-0, pod-1 scraped only once so far", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_scrape_still_scales_up()
    {
        var decision = ScalingPolicy.Decide(T0, 2, FirstScrapes(2, 10), ScalingHistory.Empty, NoWindows);
        Assert.Equal(3, decision.DesiredReplicas);
    }

    [Fact]
    public void A_throughput_learned_at_another_target_or_pod_version_bounds_nothing()
    {
        var settings = NoWindows with { ThroughputMemory = TimeSpan.FromMinutes(30), PodVersion = "v1" };
        var learned = Decide(0, 10, Load(80, 10, rate: 1000), settings: settings).History;
        Assert.Equal((8.0, "v1"), (learned.Throughput!.Value.Target, learned.Throughput.Value.PodVersion));

        // Same terms: the floor holds 7 (700/s at 100/s per replica).
        Assert.Equal(7, Decide(15, 10, Load(20, 10, rate: 700), learned, settings).DesiredReplicas);
        // Target raised from 8 to 16: the queue alone decides (20 / 16 → 2), not the old floor.
        var raised = Decide(15, 10, Load(20, 10, rate: 700), learned, settings with { TargetQueueDepthPerReplica = 16 });
        Assert.Equal(2, raised.DesiredReplicas);
        Assert.NotEqual(ScalingReason.ScaleDownLimitedByThroughput, raised.Reason);
        // A new pod version (a faster model): the same.
        var newVersion = Decide(15, 10, Load(20, 10, rate: 700), learned, settings with { PodVersion = "v2" });
        Assert.Equal(3, newVersion.DesiredReplicas);
    }

    [Fact]
    public void Pods_whose_scrape_fails_count_as_load_for_scale_up_and_panic()
    {
        // 4 ready pods; 2 time out (overloaded), the 2 measured carry 40 offered in flight
        // (2.5 × the target each). Before, the proposal counted 40 against 4 pods of
        // capacity (5, no panic); now the unmeasured pods count as loaded as the others.
        var decision = Decide(0, 4, Overloaded(40, 4, missing: ["pod-2", "pod-3"]), settings: Settings);

        Assert.Equal(ScalingReason.PanicScaleUp, decision.Reason);
        Assert.Equal(10, decision.DesiredReplicas);
        Assert.Contains("2 unmeasured pods counted at 20 each", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_name_the_bound_not_a_window_that_held_nothing()
    {
        var settings = Calm with { ScaleDown = ScalingRules.DefaultScaleDown with { StabilizationWindow = TimeSpan.FromSeconds(20) } };
        var earlier = Decide(0, 2, Load(0, 2), ScalingHistory.Empty, settings);
        Assert.Equal(1, earlier.DesiredReplicas);

        var decision = Decide(10, 2, Load(0, 2), earlier.History, settings);

        Assert.Equal(1, decision.DesiredReplicas);
        Assert.Equal(ScalingReason.LimitedByMinimum, decision.Reason);
        Assert.Contains("proposing 0 (now 2); limited to the minimum of 1", decision.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("held at", decision.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-5)]
    public void Odd_values_never_give_an_odd_count(double value)
    {
        var odd = new WindowSignals(3, value, value, value, value, value, value);
        var signals = Even(3, 0, [], value, odd, odd);

        var decision = Decide(0, 3, signals);

        Assert.InRange(decision.DesiredReplicas, Settings.MinReplicas, Settings.MaxReplicas);
        Assert.True(decision.DesiredReplicas >= 3 || value is not double.PositiveInfinity);
    }
}
