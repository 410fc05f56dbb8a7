using System.Text.Json.Serialization;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

[Description("Batching, queueing and warm-up settings of each replica.")]
[CelRule(
    "!has(self.warmupBatchSizes) || self.warmupBatchSizes.all(b, b <= self.maxBatchSize)",
    "every warmupBatchSizes entry must be at most maxBatchSize",
    FieldPath = ".warmupBatchSizes")]
public sealed class ServingSpec
{
    [JsonPropertyName("maxBatchSize")]
    [Default(8)]
    [Range(1, 1024)]
    [Description("Most requests (rows along the batch axis) run together in one model run.")]
    public int MaxBatchSize { get; set; } = 8;

    [JsonPropertyName("maxQueueDelayMs")]
    [Default(2)]
    [Range(0, 10000)]
    [Description("Longest time (ms) the first queued request waits for others to fill a batch.")]
    public int MaxQueueDelayMs { get; set; } = 2;

    [JsonPropertyName("queueCapacity")]
    [Default(256)]
    [Range(1, 100000)]
    [Description("Requests a replica admits and holds at once; beyond it requests are refused with 429.")]
    public int QueueCapacity { get; set; } = 256;

    [JsonPropertyName("timeoutMs")]
    [Default(30000)]
    [Range(1, 3600000)]
    [Description("Default deadline (ms) of a request from arrival; a request's own timeout parameter can only shorten it.")]
    public int TimeoutMs { get; set; } = 30000;

    [JsonPropertyName("instances")]
    [Range(1, 16)]
    [Description("Model instances (ONNX Runtime sessions) per replica that run batches concurrently. When omitted, each replica measures the thread layouts (instances × threads per instance) at start-up on the CPUs of its limit and picks the fastest (with the cuda provider: one). When set, the replica runs that many instances and shares its CPUs among them.")]
    public int? Instances { get; set; }

    [JsonPropertyName("executionProvider")]
    [Description("ONNX Runtime execution provider. When omitted: cuda if resources.gpu > 0, else cpu.")]
    public ExecutionProvider? ExecutionProvider { get; set; }

    [JsonPropertyName("warmupBatchSizes")]
    [Items(1, 16)]
    [ItemRange(1, 1024)]
    [Description("Batch sizes to run once each before a replica reports ready, so the first requests do not pay for lazy initialisation. When omitted, the pod's default applies.")]
    public IList<int>? WarmupBatchSizes { get; set; }

    [JsonPropertyName("drainTimeoutSeconds")]
    [Default(30)]
    [Range(0, 3600)]
    [Description("Longest time (s) a stopping replica spends finishing the requests it accepted. The pod's termination grace period is sized from it.")]
    public int DrainTimeoutSeconds { get; set; } = 30;

    [JsonPropertyName("priorityLevels")]
    [Default(2)]
    [Range(1, 16)]
    [Description("Number of request priority levels (the 'priority' request parameter, 1 is highest).")]
    public int PriorityLevels { get; set; } = 2;
}

/// <summary>The ONNX Runtime execution provider a replica runs the model on.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExecutionProvider>))]
public enum ExecutionProvider
{
    [JsonStringEnumMemberName("cpu")]
    Cpu,

    [JsonStringEnumMemberName("cuda")]
    Cuda,
}
