using System.Text.Json.Serialization;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

[Description("How the replica count follows the load.")]
// The has() guards matter: the API server also evaluates these rules against the field's schema
// default ({}), which it does not fill with the inner defaults first. Stored objects always have
// every field (defaulting runs before validation), so the guards never let a bad object through.
[CelRule(
    "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
    "minReplicas must be less than or equal to maxReplicas",
    FieldPath = ".minReplicas")]
[CelRule(
    "!has(self.mode) || !has(self.minReplicas) || self.mode != 'Builtin' || self.minReplicas >= 1",
    "minReplicas 0 needs mode External or Off: the builtin autoscaler measures load on running replicas and cannot start from zero",
    FieldPath = ".minReplicas")]
public sealed class AutoscalingSpec
{
    [JsonPropertyName("mode")]
    [Default("Builtin")]
    [Description("Builtin: the operator scales on queue depth and latency scraped from the replicas. External: spec.replicas is set through the scale subresource (kubectl scale, HPA, KEDA). Off: spec.replicas is fixed.")]
    public AutoscalingMode Mode { get; set; } = AutoscalingMode.Builtin;

    [JsonPropertyName("minReplicas")]
    [Default(1)]
    [Range(0)]
    [Description("Fewest replicas the builtin autoscaler keeps.")]
    public int MinReplicas { get; set; } = 1;

    [JsonPropertyName("maxReplicas")]
    [Default(4)]
    [Range(1)]
    [Description("Most replicas the builtin autoscaler runs.")]
    public int MaxReplicas { get; set; } = 4;

    [JsonPropertyName("targetQueueDepth")]
    [Default(8)]
    [Range(1, 100000)]
    [Description("Requests in flight per replica the builtin autoscaler aims for; with targetP95LatencyMs set, a guard while pods refuse requests.")]
    public int TargetQueueDepth { get; set; } = 8;

    [JsonPropertyName("targetP95LatencyMs")]
    [Range(1, 3600000)]
    [Description("95th percentile request latency (ms) the builtin autoscaler aims to stay under. Optional; when set, replicas are sized from the forecast arrival rate over each pod's capacity at this p95 (from the service times the pods export), with queue depth and p95 as guards.")]
    public int? TargetP95LatencyMs { get; set; }

    [JsonPropertyName("tolerance")]
    [Default(0.1)]
    [Range(0, 1)]
    [Description("Relative distance from the target inside which the replica count is left alone.")]
    public double Tolerance { get; set; } = 0.1;

    [JsonPropertyName("scaleUp")]
    [DefaultEmptyObject]
    [Description("Limits on scaling up.")]
    public ScaleUpRules ScaleUp { get; set; } = new();

    [JsonPropertyName("scaleDown")]
    [DefaultEmptyObject]
    [Description("Limits on scaling down.")]
    public ScaleDownRules ScaleDown { get; set; } = new();

    [JsonPropertyName("metricsIntervalSeconds")]
    [Default(5)]
    [Range(1, 300)]
    [Description("Seconds between scrapes of the replicas' metrics. A step in load is seen at the next scrape, so this bounds how late the builtin autoscaler reacts (Knative's KPA scrapes every 2 s).")]
    public int MetricsIntervalSeconds { get; set; } = 5;
}

/// <summary>Who decides the replica count.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AutoscalingMode>))]
public enum AutoscalingMode
{
    Builtin,
    External,
    Off,
}

/// <summary>Step limits shared by both directions; a null limit does not bound the step.</summary>
public abstract class ScalingRules
{
    public abstract int StabilizationWindowSeconds { get; set; }

    [JsonPropertyName("maxStepPods")]
    [Range(1)]
    [Description("Most replicas added or removed in one decision. Optional.")]
    public int? MaxStepPods { get; set; }

    [JsonPropertyName("maxStepPercent")]
    [Range(1, 1000)]
    [Description("Most replicas added or removed in one decision, in percent of the current count. Optional; with maxStepPods the larger step is allowed.")]
    public int? MaxStepPercent { get; set; }
}

[Description("Limits on scaling up.")]
public sealed class ScaleUpRules : ScalingRules
{
    [JsonPropertyName("stabilizationWindowSeconds")]
    [Default(0)]
    [Range(0, 3600)]
    [Description("Scale up only to the lowest recommendation of this many past seconds (0: at once).")]
    public override int StabilizationWindowSeconds { get; set; }
}

[Description("Limits on scaling down.")]
public sealed class ScaleDownRules : ScalingRules
{
    [JsonPropertyName("stabilizationWindowSeconds")]
    [Default(30)]
    [Range(0, 3600)]
    [Description("Scale down only to the highest recommendation of this many past seconds. The builtin autoscaler sizes from the arrival rate, which falls in proportion to load, so a short window suffices (the HPA's default is 300).")]
    public override int StabilizationWindowSeconds { get; set; } = 30;
}
