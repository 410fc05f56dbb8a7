namespace Platform.Contracts;

/// <summary>
/// Names, labels and buckets of the metrics the inference pod exports on <see cref="Path"/>
/// and the operator's autoscaler scrapes. Base units throughout (seconds, requests).
/// </summary>
public static class PodMetrics
{
    public const string Path = "/metrics";

    /// <summary>Requests admitted and waiting for a batch (gauge).</summary>
    public const string QueueDepth = "platform_inference_queue_depth";
    /// <summary>Admitted requests not yet answered: queued plus computing (gauge).</summary>
    public const string InFlight = "platform_inference_in_flight_requests";
    /// <summary>Capacity of the admission queue (gauge), so saturation is queue_depth / capacity.</summary>
    public const string QueueCapacity = "platform_inference_queue_capacity";
    /// <summary>End-to-end latency of answered inference requests (histogram, seconds).</summary>
    public const string RequestDuration = "platform_inference_request_duration_seconds";
    /// <summary>Time from admission to the start of compute (histogram, seconds).</summary>
    public const string QueueWait = "platform_inference_queue_wait_seconds";
    /// <summary>Time of one model run over a batch (histogram, seconds).</summary>
    public const string ComputeDuration = "platform_inference_compute_duration_seconds";
    /// <summary>Rows per model run (histogram).</summary>
    public const string BatchSize = "platform_inference_batch_size";
    /// <summary>
    /// Measured time of one model run at a batch size (gauge, seconds; labels
    /// <see cref="ModelLabel"/>, <see cref="ModelVersionLabel"/>, <see cref="BatchSizeLabel"/>):
    /// first from warm-up, then a moving average of live runs. The operator sizes each pod's
    /// capacity at the service's SLO from this curve; a new model version brings its own.
    /// </summary>
    public const string BatchServiceTime = "platform_inference_batch_service_seconds";
    /// <summary>Inference requests answered, by status code (counter).</summary>
    public const string Requests = "platform_inference_requests_total";
    /// <summary>Requests refused or dropped before compute, by reason (counter).</summary>
    public const string Rejections = "platform_inference_rejections_total";
    /// <summary>1 when the model is loaded and warmed up, else 0 (gauge).</summary>
    public const string ModelReady = "platform_model_ready";
    /// <summary>Free memory of a GPU as NVML reports it (gauge, bytes, label <see cref="GpuLabel"/>); absent on nodes without NVML.</summary>
    public const string GpuMemoryFree = "platform_gpu_memory_free_bytes";
    /// <summary>Total memory of a GPU (gauge, bytes, label <see cref="GpuLabel"/>).</summary>
    public const string GpuMemoryTotal = "platform_gpu_memory_total_bytes";
    /// <summary>Fraction of the last sample period a GPU was busy, 0 to 1 (gauge, label <see cref="GpuLabel"/>).</summary>
    public const string GpuUtilization = "platform_gpu_utilization_ratio";

    /// <summary>Response cache lookups and failed cache operations, by result (counter).</summary>
    public const string CacheRequests = "platform_inference_cache_requests_total";
    /// <summary>Bytes held by the in-process response cache (gauge).</summary>
    public const string CacheBytes = "platform_inference_cache_bytes";
    /// <summary>Time to decode and preprocess the images of one request (histogram, seconds).</summary>
    public const string PreprocessDuration = "platform_inference_preprocess_duration_seconds";
    /// <summary>Asynchronous jobs that reached a final state, by status (counter).</summary>
    public const string Jobs = "platform_inference_jobs_total";
    /// <summary>Failed reads and writes of the shared job store (counter).</summary>
    public const string JobStoreErrors = "platform_inference_job_store_errors_total";

    public const string ModelLabel = "model";
    /// <summary>The model's version, as its metadata names it (empty when it has none).</summary>
    public const string ModelVersionLabel = "model_version";
    /// <summary>Rows in one model run, as a decimal integer.</summary>
    public const string BatchSizeLabel = "batch_size";
    public const string CodeLabel = "code";
    public const string ReasonLabel = "reason";
    public const string ResultLabel = "result";
    public const string StatusLabel = "status";

    /// <summary>Values of <see cref="ResultLabel"/> on <see cref="CacheRequests"/>.</summary>
    public static class CacheResults
    {
        public const string Hit = "hit";
        public const string Miss = "miss";
        /// <summary>A lookup skipped because the request asked for a fresh answer (Cache-Control: no-cache).</summary>
        public const string Bypass = "bypass";
        /// <summary>A lookup or store that failed (for example Redis unreachable); the request is served uncached.</summary>
        public const string Error = "error";
    }

    /// <summary>Values of <see cref="StatusLabel"/> on <see cref="Jobs"/>.</summary>
    public static class JobStatuses
    {
        public const string Succeeded = "succeeded";
        public const string Failed = "failed";
        public const string Cancelled = "cancelled";
    }
    /// <summary>Index of the GPU as NVML numbers it.</summary>
    public const string GpuLabel = "gpu";

    /// <summary>Values of <see cref="ReasonLabel"/>.</summary>
    public static class Reasons
    {
        public const string QueueFull = "queue_full";
        public const string Deadline = "deadline";
        public const string Draining = "draining";
        public const string BadRequest = "bad_request";
        public const string ClientDisconnected = "client_disconnected";
        public const string NotReady = "not_ready";
        /// <summary>The client used up its quota (RateLimits); refused before admission.</summary>
        public const string RateLimited = "rate_limited";
    }

    /// <summary>
    /// Latency buckets (seconds): dense enough from 1 ms to 30 s that a p95 interpolated
    /// inside one bucket is within about 25% of the true value.
    /// </summary>
    public static readonly double[] LatencyBuckets =
    [
        0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0065, 0.008, 0.01,
        0.0125, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.065, 0.08, 0.1,
        0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.65, 0.8, 1,
        1.25, 1.5, 2, 2.5, 3, 4, 5, 6.5, 8, 10,
        12.5, 15, 20, 25, 30,
    ];

    /// <summary>Batch size buckets (rows).</summary>
    public static readonly double[] BatchSizeBuckets = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];
}
