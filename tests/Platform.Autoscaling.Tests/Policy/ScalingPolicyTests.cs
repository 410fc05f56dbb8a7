using System.Collections.Immutable;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Signals;
using static Platform.Autoscaling.Tests.Policy.PolicyTestData;

namespace Platform.Autoscaling.Tests.Policy;

public class ScalingPolicyTests
{
    [Fact]
    public void Without_measured_pods_the_count_is_kept_and_the_signals_are_invalid()
    {
        var decision = Decide(0, 3, ScalingSignals.NoData(2, 1, ["a", "b"]));

        Assert.Equal(3, decision.DesiredReplicas);
        Assert.Equal(ScalingReason.NoMetrics, decision.Reason);
        Assert.False(decision.SignalsValid);
        Assert.Contains("no metrics from any of 2 ready pods (1 not ready)", decision.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 2, ScalingReason.BelowMinimum)]
    [InlineData(25, 20, ScalingReason.AboveMaximum)]
    public void A_count_outside_the_bounds_is_brought_inside_first(int current, int expected, ScalingReason reason)
    {
        var decision = Decide(0, current, ScalingSignals.NoData(0, 0, []), settings: Settings with { MinReplicas = 2 });

        Assert.Equal(expected, decision.DesiredReplicas);
        Assert.Equal(reason, decision.Reason);
    }

    [Theory]
    [InlineData(40, 4, 5, ScalingReason.ScaleUpQueueDepth)] // 40 / 8 = 5
    [InlineData(84, 10, 10, ScalingReason.WithinTolerance)] // 10.5 is within 10% of 10
    [InlineData(88.8, 10, 12, ScalingReason.ScaleUpQueueDepth)] // 11.1: outside, rounded up
    [InlineData(80, 10, 10, ScalingReason.WithinTolerance)]
    public void Queue_proposal_is_the_load_over_the_target_per_replica(double inFlight, int current, int expected, ScalingReason reason)
    {
        var decision = Decide(0, current, Load(inFlight, current), settings: Calm);

        Assert.Equal(expected, decision.DesiredReplicas);
        Assert.Equal(reason, decision.Reason);
        Assert.True(decision.SignalsValid);
    }

    [Fact]
    public void A_proposal_that_rounds_to_the_current_count_is_steady()
    {
        var decision = Decide(0, 10, Load(79, 10), settings: Calm with { Tolerance = 0 });
        Assert.Equal(10, decision.DesiredReplicas);
        Assert.Equal(ScalingReason.Steady, decision.Reason);
    }

    [Fact]
    public void Latency_proposal_scales_ready_pods_by_p95_over_its_target_and_the_larger_proposal_wins()
    {
        var settings = Calm with { TargetLatencyP95 = TimeSpan.FromMilliseconds(100) };

        // Queue asks for 2; p95 of 300 ms against 100 ms over 3 serving pods asks for 9.
        var decision = Decide(0, 3, Load(16, 3, p95: 0.3), settings: settings);

        Assert.Equal(7, decision.DesiredReplicas); // 4 pods per 15 s beats doubling
        Assert.Equal(ScalingReason.ScaleUpLimited, decision.Reason);
        Assert.Equal(9, decision.ProposedReplicas);
        Assert.Contains("p95 300 ms against a target of 100 ms over 3 serving pods asks for 9", decision.Message, StringComparison.Ordinal);

        var queueWins = Decide(0, 3, Load(27, 3, p95: 0.11), settings: settings);
        Assert.Equal(4, queueWins.DesiredReplicas);
        Assert.Equal(ScalingReason.ScaleUpQueueDepth, queueWins.Reason);
    }

    [Fact]
    public void Pods_not_ready_are_no_capacity_for_the_latency_proposal_and_not_idle_for_the_queue_proposal()
    {
        var settings = Settings with { TargetLatencyP95 = TimeSpan.FromMilliseconds(100) };

        // 2 ready pods at twice the target latency need 4 serving pods, whatever is starting.
        Assert.Equal(4, Decide(0, 2, Load(8, 2, notReady: 0, p95: 0.2), settings: settings).ProposedReplicas);
        Assert.Equal(4, Decide(0, 6, Load(8, 2, notReady: 4, p95: 0.2), settings: settings).ProposedReplicas);

        // Starting pods carry nothing, but do not dilute the load of the ready ones.
        Assert.Equal(6, Decide(0, 6, Overloaded(48, 2, notReady: 4)).DesiredReplicas);
    }

    [Fact]
    public void Refused_requests_count_as_load()
    {
        // 40 in flight while answering 100/s and refusing 100/s: 80 offered, 10 replicas.
        var decision = Decide(0, 5, Load(40, 5, rate: 100, rejected: 100), settings: Calm);

        Assert.Equal(10, decision.DesiredReplicas);
        Assert.Contains("100/s refused", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_metrics_block_scale_down_but_not_scale_up()
    {
        var down = Decide(0, 10, Load(16, 10, missing: ["pod-7"]));
        Assert.Equal(10, down.DesiredReplicas);
        Assert.Equal(ScalingReason.ScaleDownBlockedMissingMetrics, down.Reason);
        Assert.Contains("no fresh metrics from pod-7", down.Message, StringComparison.Ordinal);

        // 64 offered to the 3 measured pods; the unmeasured one counts as loaded as they
        // are (21.3): 85.3 / 8 asks for 11, of which the step policy allows 8 now.
        var up = Decide(0, 4, Overloaded(64, 4, missing: ["pod-3"]), settings: Calm);
        Assert.Equal(11, up.ProposedReplicas);
        Assert.Equal(8, up.DesiredReplicas);
    }

    [Fact]
    public void Scale_down_waits_for_the_highest_recommendation_of_the_window()
    {
        var history = ScalingHistory.Empty;
        var current = 10;
        ScalingDecision decision = null!;
        for (var t = 0; t <= 300; t += 15)
        {
            // Load for 10 at t=0, then for 4.
            decision = Decide(t, current, Load(t == 0 ? 80 : 32, current), history);
            history = decision.History;
            current = decision.DesiredReplicas;
            if (t is > 0 and < 300)
            {
                Assert.Equal(10, current);
                Assert.Equal(ScalingReason.ScaleDownStabilized, decision.Reason);
            }
        }

        // At 300 s the 10 recorded at 0 s has left the window.
        Assert.Equal(4, current);
        Assert.Equal(ScalingReason.ScaleDown, decision.Reason);
    }

    [Fact]
    public void Scale_up_window_takes_the_lowest_recommendation()
    {
        var settings = Calm with { ScaleUp = ScalingRules.DefaultScaleUp with { StabilizationWindow = TimeSpan.FromSeconds(30) } };
        var first = Decide(0, 4, Load(40, 4), settings: settings);
        Assert.Equal(5, first.DesiredReplicas);

        var second = Decide(15, 5, Overloaded(80, 5), first.History, settings);
        Assert.Equal(5, second.DesiredReplicas);
        Assert.Equal(ScalingReason.ScaleUpStabilized, second.Reason);

        var third = Decide(31, 5, Overloaded(80, 5), second.History, settings);
        Assert.Equal(10, third.DesiredReplicas);
    }

    [Fact]
    public void Scale_up_step_is_the_larger_of_four_pods_and_doubling_per_period_counted_from_the_period_start()
    {
        var settings = Settings with { MaxReplicas = 100, Panic = PanicSettings.Default with { Enabled = false } };
        var first = Decide(0, 2, Overloaded(800, 2), settings: settings);
        Assert.Equal(6, first.DesiredReplicas); // 2 + 4 beats 2 * 2
        Assert.Equal(ScalingReason.ScaleUpLimited, first.Reason);

        // Within the same 15 s period no more is allowed: the period started at 2.
        var second = Decide(10, 6, Overloaded(800, 6), first.History, settings);
        Assert.Equal(6, second.DesiredReplicas);

        var third = Decide(16, 6, Overloaded(800, 6), second.History, settings);
        Assert.Equal(12, third.DesiredReplicas); // 6 * 2 beats 6 + 4
    }

    [Fact]
    public void Scale_down_step_policy_limits_the_change()
    {
        var settings = Settings with
        {
            ScaleDown = new ScalingRules(TimeSpan.Zero, [new StepPolicy(StepPolicyKind.Pods, 1, TimeSpan.FromSeconds(60))]),
        };
        var first = Decide(0, 10, Load(8, 10), settings: settings);
        Assert.Equal(9, first.DesiredReplicas);
        Assert.Equal(ScalingReason.ScaleDownLimited, first.Reason);

        Assert.Equal(9, Decide(30, 9, Load(8, 9), first.History, settings).DesiredReplicas);
        Assert.Equal(8, Decide(61, 9, Load(8, 9), first.History, settings).DesiredReplicas);
    }

    [Fact]
    public void Disabled_directions_never_change_the_count()
    {
        var settings = Settings with
        {
            ScaleUp = ScalingRules.DefaultScaleUp with { Select = StepPolicySelection.Disabled },
            ScaleDown = ScalingRules.DefaultScaleDown with { StabilizationWindow = TimeSpan.Zero, Select = StepPolicySelection.Disabled },
            Panic = PanicSettings.Default with { Enabled = false },
        };
        Assert.Equal(5, Decide(0, 5, Load(400, 5), settings: settings).DesiredReplicas);
        Assert.Equal(5, Decide(0, 5, Load(1, 5), settings: settings).DesiredReplicas);
    }

    [Fact]
    public void Proposals_are_clamped_to_the_bounds()
    {
        var high = Decide(0, 18, Overloaded(396, 18), settings: Calm);
        Assert.Equal(20, high.DesiredReplicas);
        Assert.Equal(ScalingReason.LimitedByMaximum, high.Reason);
        Assert.Equal(50, high.ProposedReplicas);

        var low = Decide(0, 4, Load(0, 4), settings: Settings with { MinReplicas = 3, ScaleDown = ScalingRules.DefaultScaleDown with { StabilizationWindow = TimeSpan.Zero } });
        Assert.Equal(3, low.DesiredReplicas);
        Assert.Equal(ScalingReason.LimitedByMinimum, low.Reason);
    }

    [Fact]
    public void Panic_scales_past_the_step_limit_at_once_and_holds_until_calm()
    {
        // 2 ready pods and a short-window load asking for 12: over 2 x 2, so panic.
        var start = Decide(0, 2, Overloaded(96, 2));
        Assert.Equal(12, start.DesiredReplicas);
        Assert.Equal(ScalingReason.PanicScaleUp, start.Reason);
        Assert.True(start.Panicking);

        // The load vanishes: panic holds the count for the calm window.
        var hold = Decide(30, 12, Load(8, 12), start.History);
        Assert.Equal(12, hold.DesiredReplicas);
        Assert.Equal(ScalingReason.PanicHold, hold.Reason);

        // Calm for 60 s: panic ends, and the normal scale-down window takes over.
        var calm = Decide(60, 12, Load(8, 12), hold.History);
        Assert.False(calm.Panicking);
        Assert.Equal(12, calm.DesiredReplicas);
        Assert.Equal(ScalingReason.ScaleDownStabilized, calm.Reason);
    }

    [Fact]
    public void Without_panic_the_step_limit_applies()
    {
        var decision = Decide(0, 2, Overloaded(96, 2), settings: Settings with { Panic = PanicSettings.Default with { Enabled = false } });
        Assert.Equal(6, decision.DesiredReplicas);
        Assert.Equal(ScalingReason.ScaleUpLimited, decision.Reason);
        Assert.False(decision.Panicking);
    }

    [Fact]
    public void Panic_looks_at_the_short_window_while_the_stable_one_still_averages_the_calm()
    {
        var stable = new WindowSignals(2, 30, 100, 100, 0, 8, null);
        // The last interval: pods held at 10 each while three times what they answer arrived.
        var recent = new WindowSignals(2, 5, 200, 640, 440, 20, null);

        var decision = Decide(0, 2, Even(2, 0, [], 20, stable, recent));

        Assert.Equal(8, decision.DesiredReplicas);
        Assert.True(decision.Panicking);
    }

    [Fact]
    public void A_restarted_autoscaler_does_not_scale_down_before_a_full_window()
    {
        var history = ScalingHistory.StartingAt(T0, 10);
        Assert.Equal(10, Decide(0, 10, Load(8, 10), history).DesiredReplicas);
        Assert.Equal(10, Decide(299, 10, Load(8, 10), history).DesiredReplicas);
        Assert.Equal(1, Decide(300, 10, Load(8, 10), history).DesiredReplicas);
    }

    [Fact]
    public void History_keeps_only_what_windows_and_periods_need()
    {
        var history = ScalingHistory.Empty;
        for (var t = 0; t <= 1000; t += 5)
        {
            history = Decide(t, 5, Load(40, 5), history).History;
        }

        Assert.All(history.Recommendations, r => Assert.True(r.At > T0.AddSeconds(1000 - 300)));
        Assert.True(history.Recommendations.Length <= 60);
    }

    [Fact]
    public void Invalid_settings_are_refused_with_every_problem()
    {
        var settings = Settings with
        {
            MinReplicas = 5,
            MaxReplicas = 2,
            TargetQueueDepthPerReplica = 0,
            Tolerance = 1.5,
            TargetLatencyP95 = TimeSpan.Zero,
            ScaleUp = new ScalingRules(TimeSpan.FromSeconds(-1), ImmutableArray<StepPolicy>.Empty),
            Panic = PanicSettings.Default with { Threshold = 1 },
        };

        var errors = settings.Validate();
        Assert.Equal(7, errors.Count);
        var error = Assert.Throws<ArgumentException>(() => Decide(0, 3, Load(8, 3), settings: settings));
        Assert.Contains("maxReplicas (2) must not be less than minReplicas (5)", error.Message, StringComparison.Ordinal);
        Assert.Contains("panic threshold", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Decide(0, -1, Load(8, 3)));
        Assert.Empty(Settings.Validate());
    }
}
