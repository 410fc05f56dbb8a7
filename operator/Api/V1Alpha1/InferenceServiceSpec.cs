using System.Text.Json.Serialization;
using k8s.Models;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

[Description("Desired state of the InferenceService.")]
[CelRule(
    "!has(self.serving) || !has(self.serving.executionProvider) || self.serving.executionProvider != 'cuda' || (has(self.resources) && has(self.resources.gpu) && self.resources.gpu > 0)",
    "serving.executionProvider 'cuda' needs resources.gpu of at least 1",
    FieldPath = ".serving.executionProvider")]
[CelRule(
    "!has(self.preprocessing) || has(self.postprocessing)",
    "postprocessing is required with preprocessing: preprocessing and postprocessing go together, the classify endpoint decodes an image and ranks the model's output",
    FieldPath = ".postprocessing")]
[CelRule(
    "!has(self.postprocessing) || has(self.preprocessing)",
    "preprocessing is required with postprocessing: preprocessing and postprocessing go together, the classify endpoint decodes an image and ranks the model's output",
    FieldPath = ".preprocessing")]
[CelRule(
    "!has(self.gpu) || !has(self.gpu.minFreeMemory) || (has(self.resources) && has(self.resources.gpu) && self.resources.gpu > 0)",
    "gpu.minFreeMemory needs resources.gpu of at least 1",
    FieldPath = ".gpu.minFreeMemory")]
public sealed class InferenceServiceSpec
{
    [JsonPropertyName("model")]
    [Required]
    [Description("The model to serve and where its file comes from.")]
    public ModelSpec Model { get; set; } = new();

    [JsonPropertyName("image")]
    [Length(1, 1024)]
    [Description("Container image of the inference pod. When omitted, the operator's configured default image is used.")]
    public string? Image { get; set; }

    [JsonPropertyName("imagePullPolicy")]
    [Description("Pull policy of the pod image. When omitted, Kubernetes' default applies (Always for ':latest', else IfNotPresent).")]
    public PullPolicy? ImagePullPolicy { get; set; }

    [JsonPropertyName("resources")]
    [DefaultEmptyObject]
    [Description("Compute resources of each replica.")]
    public ResourcesSpec Resources { get; set; } = new();

    [JsonPropertyName("nodeSelector")]
    [Description("Node labels a replica's node must have, e.g. a GPU product label.")]
    public IDictionary<string, string>? NodeSelector { get; set; }

    [JsonPropertyName("tolerations")]
    [Description("Tolerations of the replicas' pods, e.g. for tainted GPU nodes. With resources.gpu > 0 the operator adds a toleration for the 'nvidia.com/gpu' taint unless one for that key is listed here.")]
    public IList<V1Toleration>? Tolerations { get; set; }

    [JsonPropertyName("affinity")]
    [Description("Scheduling constraints of the replicas' pods (the pod's spec.affinity; see 'kubectl explain pod.spec.affinity').")]
    public V1Affinity? Affinity { get; set; }

    [JsonPropertyName("serving")]
    [DefaultEmptyObject]
    [Description("How each replica batches, queues and warms up.")]
    public ServingSpec Serving { get; set; } = new();

    [JsonPropertyName("replicas")]
    [Range(0)]
    [Description("Replica count when autoscaling.mode is External (written by kubectl scale, an HPA or KEDA through the scale subresource) or Off. When omitted: max(1, autoscaling.minReplicas). Ignored in Builtin mode, where the operator's autoscaler decides.")]
    public int? Replicas { get; set; }

    [JsonPropertyName("autoscaling")]
    [DefaultEmptyObject]
    [Description("How the replica count follows the load.")]
    public AutoscalingSpec Autoscaling { get; set; } = new();

    [JsonPropertyName("rateLimits")]
    public RateLimitsSpec? RateLimits { get; set; }

    [JsonPropertyName("cache")]
    public CacheSpec? Cache { get; set; }

    [JsonPropertyName("jobs")]
    public JobsSpec? Jobs { get; set; }

    [JsonPropertyName("preprocessing")]
    public PreprocessingSpec? Preprocessing { get; set; }

    [JsonPropertyName("postprocessing")]
    public PostprocessingSpec? Postprocessing { get; set; }

    [JsonPropertyName("gpu")]
    public GpuSpec? Gpu { get; set; }

    [JsonPropertyName("env")]
    [ListMap("name")]
    [Description("Extra environment variables of the inference container, e.g. Server__MaxRequestBodyBytes. Variables the operator sets from this spec (Model__*, Batching__*, Queue__*, Warmup__BatchSizes__*, Server__DrainTimeoutSeconds, Server__GrpcPort, ASPNETCORE_HTTP_PORTS, and the RateLimits__*, Cache__*, Jobs__*, Preprocessing__*, Postprocessing__* and Gpu__* keys of the sections above that are set) cannot be overridden here: the operator's values win, and an event names the dropped variables.")]
    public IList<V1EnvVar>? Env { get; set; }
}

/// <summary>When the kubelet pulls an image (Kubernetes' imagePullPolicy).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PullPolicy>))]
public enum PullPolicy
{
    Always,
    IfNotPresent,
    Never,
}
