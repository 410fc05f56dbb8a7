using System.Text.Json.Serialization;
using k8s.Models;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

[Description("Observed state of the InferenceService, written by the operator.")]
public sealed class InferenceServiceStatus
{
    [JsonPropertyName("observedGeneration")]
    [Description("metadata.generation of the spec this status describes.")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    [ListMap("type")]
    [Description("Ready: at least one replica serves. Progressing: a rollout or scaling is under way. Degraded: something needs attention (reason and message say what). ScalingActive: whether the builtin autoscaler is deciding the replica count.")]
    public IList<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("modelName")]
    [Description("Name the model is served under.")]
    public string? ModelName { get; set; }

    [JsonPropertyName("replicas")]
    [Description("Replicas (pods) of the Deployment, ready or not.")]
    public int? Replicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    [Description("Replicas ready to serve.")]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("desiredReplicas")]
    [Description("Replica count the operator last set on the Deployment.")]
    public int? DesiredReplicas { get; set; }

    [JsonPropertyName("selector")]
    [Description("Label selector of the replicas' pods, for the scale subresource.")]
    public string? Selector { get; set; }

    [JsonPropertyName("url")]
    [Description("Inference endpoint of the model inside the cluster.")]
    public string? Url { get; set; }

    [JsonPropertyName("grpcAddress")]
    [Description("V2 gRPC endpoint of the replicas inside the cluster (host:port, HTTP/2 without TLS); requests name the model.")]
    public string? GrpcAddress { get; set; }

    [JsonPropertyName("autoscaling")]
    [Description("What the builtin autoscaler last observed and decided.")]
    public AutoscalingStatus? Autoscaling { get; set; }
}

[Description("What the builtin autoscaler last observed and decided.")]
public sealed class AutoscalingStatus
{
    [JsonPropertyName("lastScrapeTime")]
    [Description("When the replicas' metrics were last scraped.")]
    public DateTime? LastScrapeTime { get; set; }

    [JsonPropertyName("scrapedReplicas")]
    [Description("Replicas whose metrics were read at the last scrape.")]
    public int? ScrapedReplicas { get; set; }

    [JsonPropertyName("queueDepth")]
    [Description("Queued requests summed over the scraped replicas at the last scrape.")]
    public double? QueueDepth { get; set; }

    [JsonPropertyName("p95LatencySeconds")]
    [Description("95th percentile request latency (seconds) over the last metrics interval.")]
    public double? P95LatencySeconds { get; set; }

    [JsonPropertyName("lastDecision")]
    [Description("The last replica count decision.")]
    public ScalingDecisionStatus? LastDecision { get; set; }
}

[Description("One replica count decision of the builtin autoscaler.")]
public sealed class ScalingDecisionStatus
{
    [JsonPropertyName("replicas")]
    [Required]
    [Description("Replica count decided.")]
    public int Replicas { get; set; }

    [JsonPropertyName("reason")]
    [Required]
    [Description("Why, in one CamelCase word (e.g. ScaleUp, ScaleDownStabilized, AtMaxReplicas).")]
    public string Reason { get; set; } = "";

    [JsonPropertyName("message")]
    [Description("Details of the decision.")]
    public string? Message { get; set; }

    [JsonPropertyName("time")]
    [Description("When the decision was made.")]
    public DateTime? Time { get; set; }
}
