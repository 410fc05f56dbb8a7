using System.Collections.Immutable;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling.Policy;
using ScalingRules = Platform.Operator.Autoscaling.Policy.ScalingRules;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.Operator.Autoscaling.Actuation;

/// <summary>Maps an InferenceService's autoscaling spec to the policy's and the signals' settings.</summary>
public static class AutoscalerSettingsFactory
{
    /// <summary>HPA's period for step policies.</summary>
    public static readonly TimeSpan StepPeriod = TimeSpan.FromSeconds(15);

    public static AutoscalerSettings Policy(AutoscalingSpec spec) => new()
    {
        // Panic holds scale-downs until calm; it never holds longer than the user's own scale-down window.
        Panic = PanicSettings.Default with { CalmWindow = Min(PanicSettings.Default.CalmWindow, TimeSpan.FromSeconds(spec.ScaleDown.StabilizationWindowSeconds)) },
        MinReplicas = Math.Max(1, spec.MinReplicas),
        MaxReplicas = Math.Max(Math.Max(1, spec.MinReplicas), spec.MaxReplicas),
        TargetQueueDepthPerReplica = spec.TargetQueueDepth,
        TargetLatencyP95 = spec.TargetP95LatencyMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        Tolerance = spec.Tolerance,
        ScaleUp = Rules(spec.ScaleUp, ScalingRules.DefaultScaleUp),
        ScaleDown = Rules(spec.ScaleDown, ScalingRules.DefaultScaleDown),
    };

    /// <summary>
    /// The pods' batcher as spec.serving configures it, for the capacity model; the instance
    /// count is the spec's (else 1) until the pods report theirs (see <see cref="Capacity.PodInstances"/>).
    /// </summary>
    public static Capacity.BatcherShape Batcher(ServingSpec serving) => new(
        Math.Max(1, serving.MaxBatchSize), TimeSpan.FromMilliseconds(Math.Max(0, serving.MaxQueueDelayMs)), Capacity.PodInstances.Resolve([], serving.Instances));

    /// <summary>
    /// How far ahead the rate rule looks: a pod asked for now serves after the service's
    /// measured start time (p90, creation to Ready), and the next decision comes one scrape later.
    /// </summary>
    public static TimeSpan LeadTime(TimeSpan? podStart, TimeSpan scrapeInterval) => (podStart ?? TimeSpan.Zero) + scrapeInterval;

    public static SignalSettings Signals(AutoscalingSpec spec) => new()
    {
        ScrapeInterval = TimeSpan.FromSeconds(Math.Max(1, spec.MetricsIntervalSeconds)),
        // The stable window spans several scrapes, so one slow or lost scrape barely moves it.
        StableWindow = TimeSpan.FromSeconds(Math.Max(6, spec.MetricsIntervalSeconds * 2)),
    };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static ScalingRules Rules(Api.V1Alpha1.ScalingRules spec, ScalingRules defaults)
    {
        var policies = ImmutableArray.CreateBuilder<StepPolicy>();
        if (spec.MaxStepPods is { } pods) policies.Add(new StepPolicy(StepPolicyKind.Pods, pods, StepPeriod));
        if (spec.MaxStepPercent is { } percent) policies.Add(new StepPolicy(StepPolicyKind.Percent, percent, StepPeriod));
        return new ScalingRules(
            TimeSpan.FromSeconds(spec.StabilizationWindowSeconds),
            policies.Count > 0 ? policies.ToImmutable() : defaults.Policies,
            StepPolicySelection.Max);
    }
}
