using System.Collections.Immutable;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Signals;
using static Platform.Autoscaling.Tests.Policy.PolicyTestData;

namespace Platform.Autoscaling.Tests.Policy;

/// <summary>How the load behind the queue proposal is estimated, and the rules that correct it.</summary>
public class LoadRulesTests
{
    [Fact]
    public void A_saturated_pod_counts_its_arrivals_not_its_full_queue_and_a_new_pod_counts_its_gauge()
    {
        // Pod a: queue full at 70 in flight, answering 100/s while 300/s arrive. Pod b just
        // started (no window yet) and holds 6. a counts min(70, 1.25 × 8) × 3 = 30.
        var a = new PodSignals("a", 62, 70, Window(100, 300, 70), Window(100, 300, 70));
        var b = new PodSignals("b", 0, 6, null, null);
        var signals = Signals([a, b], stable: Window(100, 300, 76), recent: Window(100, 300, 76));

        var decision = Decide(0, 2, signals, settings: Calm);

        Assert.Equal(5, decision.ProposedReplicas); // (30 + 6) / 8 = 4.5
        Assert.Contains("36 requests in flight", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ratio_of_a_saturated_pod_is_not_applied_to_a_pod_that_just_started()
    {
        var saturated = new PodSignals("a", 62, 70, Window(100, 1000, 70), Window(100, 1000, 70));
        var started = Enumerable.Range(0, 5).Select(i => new PodSignals($"n{i}", 0, 4, null, null));
        var signals = Signals([saturated, .. started], Window(100, 1000, 90), Window(100, 1000, 90));

        // 10 × 10 for the saturated pod and 5 × 4 for the new ones: 120 / 8 = 15.
        Assert.Equal(15, Decide(0, 6, signals, settings: Calm).ProposedReplicas);
    }

    [Fact]
    public void Throughput_learned_at_the_target_stops_a_scale_down_that_queue_depth_alone_would_overdo()
    {
        var settings = Calm with
        {
            ScaleDown = ScalingRules.DefaultScaleDown with { StabilizationWindow = TimeSpan.Zero },
            ThroughputMemory = TimeSpan.FromMinutes(30),
        };

        // At the target: 10 replicas, 80 in flight, 1000/s answered: 100/s per replica.
        var atTarget = Decide(0, 10, Load(80, 10, rate: 1000), settings: settings);
        Assert.Equal(ScalingReason.WithinTolerance, atTarget.Reason);
        Assert.Equal(100, atTarget.History.Throughput!.Value.RequestsPerSecondPerReplica, 6);

        // Load falls to 700/s, and queue depth falls much faster (to 20): it alone would ask
        // for 3 replicas; the arrival rate at 100/s per replica needs 7.
        var lower = Decide(15, 10, Load(20, 10, rate: 700), atTarget.History, settings);

        Assert.Equal(7, lower.DesiredReplicas);
        Assert.Equal(ScalingReason.ScaleDownLimitedByThroughput, lower.Reason);
        Assert.Contains("700/s arriving at 100/s per replica", lower.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Learned_throughput_is_forgotten_after_its_memory_and_can_be_turned_off()
    {
        var settings = Calm with
        {
            ScaleDown = ScalingRules.DefaultScaleDown with { StabilizationWindow = TimeSpan.Zero },
            ThroughputMemory = TimeSpan.FromMinutes(30),
        };
        var learned = Decide(0, 10, Load(80, 10, rate: 1000), settings: settings).History;

        Assert.Equal(3, Decide(1801, 10, Load(20, 10, rate: 700), learned, settings).DesiredReplicas);
        Assert.Equal(3, Decide(15, 10, Load(20, 10, rate: 700), learned, settings with { ThroughputMemory = TimeSpan.Zero }).DesiredReplicas);
        Assert.Equal(TimeSpan.FromMinutes(30), new AutoscalerSettings().ThroughputMemory);
        Assert.Equal(TimeSpan.FromSeconds(120), new AutoscalerSettings().ScaleDown.StabilizationWindow);
    }

    [Fact]
    public void Nothing_is_learned_away_from_the_target_or_while_pods_are_missing_starting_or_refusing()
    {
        Assert.Null(Decide(0, 10, Load(40, 10), settings: Calm).History.Throughput);
        Assert.Null(Decide(0, 10, Load(80, 10, notReady: 1), settings: Calm).History.Throughput);
        Assert.Null(Decide(0, 10, Load(72, 10, missing: ["pod-9"]), settings: Calm).History.Throughput);
        Assert.Null(Decide(0, 10, Load(80, 10, rejected: 5), settings: Calm).History.Throughput);
    }

    [Fact]
    public void A_rising_arrival_rate_is_projected_over_the_lead_time_and_a_falling_one_is_not()
    {
        var settings = Calm with { ScaleUpLeadTime = TimeSpan.FromSeconds(25) };

        // Stable window (30 s) averaged 800/s, the last 5 s 1000/s: 200/s over 12.5 s between
        // their middles, 16/s per second; 25 s ahead that is +400/s, ×1.3 (the cap is 1.3).
        var rising = Decide(0, 5, Signals(40, stableRate: 800, recentRate: 1000), settings: settings);
        Assert.Equal(7, rising.ProposedReplicas); // 40 × 1.3 / 8 = 6.5
        Assert.Contains("rising ×1.3 over the 25 s lead time", rising.Message, StringComparison.Ordinal);

        var gentle = Decide(0, 5, Signals(40, stableRate: 1000, recentRate: 1100), settings: settings);
        Assert.Equal(6, gentle.ProposedReplicas); // 8/s per second, +200/s in 25 s: ×1.18, 5.9

        var falling = Decide(0, 5, Signals(40, stableRate: 1000, recentRate: 800), settings: settings);
        Assert.Equal(5, falling.ProposedReplicas);

        Assert.Equal(5, Decide(0, 5, Signals(40, stableRate: 800, recentRate: 1000), settings: Calm).ProposedReplicas);
    }

    [Fact]
    public void A_backlog_only_the_stable_window_remembers_holds_the_count_but_asks_for_nothing_more()
    {
        // The stable window saw the pods overloaded (asks for 20); the last interval shows
        // them at 40 in flight, no refusals (asks for 5). Ten replicas are kept, not 20.
        var stable = new WindowSignals(10, 30, 1000, 2000, 1000, 100, null);
        var recent = new WindowSignals(10, 5, 1000, 1000, 0, 40, null);

        var decision = Decide(0, 10, Even(10, 0, [], 40, stable, recent), settings: Calm);

        Assert.Equal(10, decision.DesiredReplicas);
        Assert.Equal(ScalingReason.WithinTolerance, decision.Reason);
    }

    [Fact]
    public void Nothing_is_projected_while_pods_refuse_or_after_a_scale_down_inside_the_stable_window()
    {
        var settings = Calm with { ScaleUpLeadTime = TimeSpan.FromSeconds(25) };
        var stable = new WindowSignals(5, 30, 800, 800, 0, 40, null);
        var refusing = new WindowSignals(5, 5, 900, 1000, 100, 40, null);
        Assert.Equal(6, Decide(0, 5, Even(5, 0, [], 40, stable, refusing), settings: settings).ProposedReplicas); // 40 × 1000/900 / 8 = 5.6; ×1.3 would ask 8

        var rising = Signals(40, stableRate: 800, recentRate: 1000);
        var afterScaleDown = ScalingHistory.Empty with { Events = [new ScaleEvent(T0.AddSeconds(-10), -2)] };
        Assert.Equal(5, Decide(0, 5, rising, afterScaleDown, settings).ProposedReplicas);
        var longAgo = ScalingHistory.Empty with { Events = [new ScaleEvent(T0.AddSeconds(-31), -2)] };
        Assert.Equal(7, Decide(0, 5, rising, longAgo, settings).ProposedReplicas);
    }

    [Fact]
    public void Latency_proposal_trusts_the_lower_windowed_p95_over_the_pods_that_served_the_short_window()
    {
        var settings = Calm with { TargetLatencyP95 = TimeSpan.FromMilliseconds(125) };
        var stable = new WindowSignals(3, 30, 300, 300, 0, 24, 0.5);
        var drained = new WindowSignals(3, 5, 300, 300, 0, 24, 0.0625);

        // The stable window still remembers a backlog that the short window shows drained.
        Assert.Equal(3, Decide(0, 3, Even(3, 0, [], 24, stable, drained), settings: settings).ProposedReplicas);

        // Both slow: 3 serving pods at 4 × the target ask for 12, whatever else became ready.
        var slow = drained with { LatencyQuantileSeconds = 0.5 };
        var signals = Even(3, 0, [], 24, stable, slow) with { ReadyPods = 9 };
        Assert.Equal(12, Decide(0, 9, signals, settings: settings).ProposedReplicas);
    }

    private static WindowSignals Window(double answered, double arriving, double inFlight) =>
        new(1, 30, answered, arriving, Math.Max(0, arriving - answered), inFlight, null);

    private static ScalingSignals Signals(PodSignals[] pods, WindowSignals stable, WindowSignals recent) =>
        new(pods.Length, 0, [], pods.Length, pods.Sum(p => p.QueueDepth), pods.Sum(p => p.InFlight), stable, recent)
        {
            Pods = [.. pods],
        };

    private static ScalingSignals Signals(double inFlight, double stableRate, double recentRate) => Even(
        5, 0, ImmutableArray<string>.Empty, inFlight,
        new WindowSignals(5, 30, stableRate, stableRate, 0, inFlight, null),
        new WindowSignals(5, 5, recentRate, recentRate, 0, inFlight, null));
}
