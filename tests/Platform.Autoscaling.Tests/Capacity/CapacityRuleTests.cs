using System.Collections.Immutable;
using Platform.Operator.Autoscaling.Capacity;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Signals;
using static Platform.Autoscaling.Tests.Policy.PolicyTestData;

namespace Platform.Autoscaling.Tests.Capacity;

public sealed class CapacityRuleTests
{
    private static readonly ImmutableSortedDictionary<int, double> Cpu = ImmutableSortedDictionary.CreateRange(new Dictionary<int, double> { [1] = 0.0033, [8] = 0.0222 });

    private static readonly AutoscalerSettings Rated = Calm with
    {
        TargetLatencyP95 = TimeSpan.FromMilliseconds(100),
        Batcher = new BatcherShape(8, TimeSpan.Zero, 1),
        ScaleUpLeadTime = TimeSpan.FromSeconds(30),
        ScaleDown = ScalingRules.DefaultScaleDown with { StabilizationWindow = TimeSpan.Zero },
    };

    private static ScalingSignals WithCurve(ScalingSignals signals, string version = "1") => signals with
    {
        Pods = [.. signals.Pods.Select(p => p with { ServiceCurve = Cpu, ModelVersion = version })],
    };

    private static double PerPod => PodCapacityModel.RateAtSlo(Cpu, Rated.Batcher!, Rated.TargetLatencyP95!.Value);

    [Fact]
    public void Replicas_are_the_arrival_rate_with_margin_over_each_pods_capacity_at_the_slo()
    {
        // 3 pods, little in flight (a queue rule alone would scale down), 1500/s arriving.
        var decision = Decide(0, 3, WithCurve(Load(3, 3, rate: 1500)), settings: Rated);

        var expected = (int)Math.Ceiling(1500 * (1 + CapacityRule.InitialMargin) / PerPod);
        Assert.Equal(expected, decision.DesiredReplicas);
        Assert.Equal(ScalingReason.ScaleUpArrivalRate, decision.Reason);
        Assert.Contains("1500/s arriving", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Capacity_per_pod_counts_the_instances_the_pods_report_not_the_specs()
    {
        var reported = WithCurve(Load(3, 3, rate: 1500));
        reported = reported with { Pods = [.. reported.Pods.Select((p, i) => p with { ModelInstances = i == 0 ? 4 : 2 })] };
        var twoPerPod = PodCapacityModel.RateAtSlo(Cpu, Rated.Batcher! with { Instances = 2 }, Rated.TargetLatencyP95!.Value);

        var decision = Decide(0, 3, reported, settings: Rated);

        Assert.True(twoPerPod > PerPod * 1.5, $"two instances sustain {twoPerPod}/s, one {PerPod}/s");
        Assert.Equal((int)Math.Ceiling(1500 * (1 + CapacityRule.InitialMargin) / twoPerPod), decision.DesiredReplicas);
        Assert.Contains("2 instances each", decision.Message, StringComparison.Ordinal);
        // Without reports the batcher's own count (the spec's, else 1) applies.
        Assert.Contains("1 instance each", Decide(0, 3, WithCurve(Load(3, 3, rate: 1500)), settings: Rated).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pods_that_just_turned_ready_do_not_multiply_the_measured_rate_but_unmeasured_ones_do()
    {
        var measured = WithCurve(Load(3, 3, rate: 1500));
        var fresh = measured with
        {
            ReadyPods = 8,
            MeasuredPods = 8,
            Pods = [.. measured.Pods, .. Enumerable.Range(3, 5).Select(i => new PodSignals($"pod-{i}", 0, 0, null, null) { ServiceCurve = Cpu, ModelVersion = "1" })],
        };
        var withMissing = WithCurve(Load(3, 3, rate: 1500)) with { ReadyPods = 4, MissingPods = ["pod-9"] };

        var expected = (int)Math.Ceiling(1500 * (1 + CapacityRule.InitialMargin) / PerPod);
        Assert.Equal(expected, Decide(0, 3, fresh, settings: Rated).ProposedReplicas);
        Assert.Contains("2000/s arriving", Decide(0, 3, withMissing, settings: Rated).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_curves_or_a_latency_target_the_queue_rule_decides_as_before()
    {
        var plain = Decide(0, 3, Load(3, 3, rate: 1500), settings: Rated);
        var noTarget = Decide(0, 3, WithCurve(Load(3, 3, rate: 1500)), settings: Rated with { TargetLatencyP95 = null });
        Assert.Equal(1, plain.DesiredReplicas);
        Assert.Equal(1, noTarget.DesiredReplicas);
        Assert.Null(plain.History.Forecast);
    }

    [Fact]
    public void A_falling_rate_scales_down_at_once_to_what_the_rate_needs()
    {
        var settings = Rated;
        var history = ScalingHistory.Empty;
        var current = 10;
        foreach (var (t, rate) in new[] { (0.0, 2500.0), (15, 2500), (30, 600), (45, 600), (60, 600) })
        {
            var d = Decide(t, current, WithCurve(Load(rate / 100, current, rate: rate)), history, settings);
            history = d.History;
            current = d.DesiredReplicas;
        }

        Assert.InRange(current, (int)Math.Ceiling(600 / PerPod), (int)Math.Ceiling(600 * 1.6 / PerPod));
    }

    [Fact]
    public void Just_after_a_scale_down_the_low_measured_rate_neither_moves_nor_scores_the_forecast()
    {
        var history = ScalingHistory.Empty;
        for (var t = 0; t <= 60; t += 15)
        {
            history = Decide(t, 4, WithCurve(Load(4, 4, rate: 1000)), history, Rated).History;
        }

        var before = history.Forecast!;
        var removed = history with { Events = history.Events.Add(new ScaleEvent(T0.AddSeconds(70), -1)) };
        // The removed pod's share is missing from the windows: 800/s measured for 1000/s offered.
        var after = Decide(75, 3, WithCurve(Load(3, 3, rate: 800)), removed, Rated);

        Assert.Same(before, after.History.Forecast);
        Assert.Contains("1000/s forecast", after.Message, StringComparison.Ordinal);
        var later = Decide(75, 3, WithCurve(Load(3, 3, rate: 800)), history, Rated);
        Assert.NotSame(before, later.History.Forecast);
    }

    [Fact]
    public void Observed_p95_above_the_models_lowers_the_capacity_it_sizes_with()
    {
        var history = ScalingHistory.Empty;
        ScalingDecision? last = null;
        for (var t = 0; t < 10; t++)
        {
            last = Decide(t * 15, 4, WithCurve(Load(8, 4, rate: 800, p95: 0.2)), history, Rated);
            history = last.History;
        }

        Assert.True(history.CapacityRatio > 1.5, $"ratio {history.CapacityRatio}");
        Assert.Contains("observed/predicted p95", last!.Message, StringComparison.Ordinal);
        var uncorrected = Decide(0, 4, WithCurve(Load(8, 4, rate: 800)), settings: Rated);
        Assert.True(last.ProposedReplicas >= uncorrected.ProposedReplicas);
    }

    [Fact]
    public void The_curve_is_the_mean_over_the_pods_of_the_most_common_version()
    {
        PodSignals Pod(string name, double one, string version) => new(name, 0, 0, null, null)
        {
            ServiceCurve = ImmutableSortedDictionary.CreateRange(new Dictionary<int, double> { [1] = one }),
            ModelVersion = version,
        };

        var curve = CapacityRule.MeanCurve([Pod("a", 0.002, "2"), Pod("b", 0.004, "2"), Pod("c", 0.1, "1"), new PodSignals("d", 0, 0, null, null)]);
        Assert.Equal(0.003, curve[1], 9);
    }
}
