using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling.Actuation;
using Platform.Operator.Autoscaling.Policy;
using ScalingRules = Platform.Operator.Autoscaling.Policy.ScalingRules;

namespace Platform.Autoscaling.Tests.Actuation;

public sealed class AutoscalerSettingsFactoryTests
{
    [Fact]
    public void The_spec_defaults_give_valid_settings_with_the_spec_values()
    {
        var spec = new AutoscalingSpec();
        var policy = AutoscalerSettingsFactory.Policy(spec);
        var signals = AutoscalerSettingsFactory.Signals(spec);

        Assert.Empty(policy.Validate());
        Assert.Empty(signals.Validate());
        Assert.Equal(spec.MinReplicas, policy.MinReplicas);
        Assert.Equal(spec.MaxReplicas, policy.MaxReplicas);
        Assert.Equal(spec.TargetQueueDepth, policy.TargetQueueDepthPerReplica);
        Assert.Null(policy.TargetLatencyP95);
        Assert.Equal(spec.Tolerance, policy.Tolerance);
        Assert.Equal(TimeSpan.FromSeconds(spec.ScaleDown.StabilizationWindowSeconds), policy.ScaleDown.StabilizationWindow);
        Assert.Equal(TimeSpan.FromSeconds(spec.ScaleUp.StabilizationWindowSeconds), policy.ScaleUp.StabilizationWindow);
        // Without step limits in the spec, the HPA's default step policies apply.
        Assert.Equal(ScalingRules.DefaultScaleUp.Policies, policy.ScaleUp.Policies);
        Assert.Equal(ScalingRules.DefaultScaleDown.Policies, policy.ScaleDown.Policies);
        Assert.Equal(TimeSpan.FromSeconds(spec.MetricsIntervalSeconds), signals.ScrapeInterval);
        Assert.Equal(TimeSpan.FromSeconds(spec.MetricsIntervalSeconds * 2), signals.StableWindow);
    }

    [Fact]
    public void Targets_steps_and_windows_come_from_the_spec()
    {
        var spec = new AutoscalingSpec
        {
            MinReplicas = 2,
            MaxReplicas = 9,
            TargetQueueDepth = 16,
            TargetP95LatencyMs = 250,
            Tolerance = 0.05,
            MetricsIntervalSeconds = 2,
            ScaleUp = new ScaleUpRules { StabilizationWindowSeconds = 10, MaxStepPods = 3 },
            ScaleDown = new ScaleDownRules { StabilizationWindowSeconds = 45, MaxStepPercent = 50 },
        };
        var policy = AutoscalerSettingsFactory.Policy(spec);
        var signals = AutoscalerSettingsFactory.Signals(spec);

        Assert.Equal((2, 9, 16.0, 0.05), (policy.MinReplicas, policy.MaxReplicas, policy.TargetQueueDepthPerReplica, policy.Tolerance));
        Assert.Equal(TimeSpan.FromMilliseconds(250), policy.TargetLatencyP95);
        Assert.Equal([new StepPolicy(StepPolicyKind.Pods, 3, AutoscalerSettingsFactory.StepPeriod)], policy.ScaleUp.Policies.ToArray());
        Assert.Equal([new StepPolicy(StepPolicyKind.Percent, 50, AutoscalerSettingsFactory.StepPeriod)], policy.ScaleDown.Policies.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(10), policy.ScaleUp.StabilizationWindow);
        Assert.Equal(TimeSpan.FromSeconds(45), policy.ScaleDown.StabilizationWindow);
        // Panic never holds longer than the user's own scale-down window.
        Assert.Equal(TimeSpan.FromSeconds(45), policy.Panic.CalmWindow);
        Assert.Equal(TimeSpan.FromSeconds(2), signals.ScrapeInterval);
        // The stable window spans several scrapes even at short intervals.
        Assert.Equal(TimeSpan.FromSeconds(6), signals.StableWindow);
    }

    [Fact]
    public void A_range_the_policy_could_not_use_is_made_usable()
    {
        // The CRD's rules refuse these; the factory must still not hand the policy settings it throws on.
        var policy = AutoscalerSettingsFactory.Policy(new AutoscalingSpec { MinReplicas = 0, MaxReplicas = 0, MetricsIntervalSeconds = 0 });
        Assert.Empty(policy.Validate());
        Assert.Equal((1, 1), (policy.MinReplicas, policy.MaxReplicas));
        Assert.Equal(TimeSpan.FromSeconds(1), AutoscalerSettingsFactory.Signals(new AutoscalingSpec { MetricsIntervalSeconds = 0 }).ScrapeInterval);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(1, 1)]
    [InlineData(4, 4)]
    public void The_batchers_instances_are_the_specs_else_one_until_the_pods_report(int? instances, int expected)
    {
        var shape = AutoscalerSettingsFactory.Batcher(new ServingSpec { MaxBatchSize = 16, MaxQueueDelayMs = 3, Instances = instances });

        Assert.Equal((16, TimeSpan.FromMilliseconds(3), expected), (shape.MaxBatchSize, shape.MaxQueueDelay, shape.Instances));
    }
}
