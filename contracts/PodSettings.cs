namespace Platform.Contracts;

/// <summary>
/// The configuration keys of the inference pod. The pod binds them with standard .NET
/// configuration; the operator sets them as environment variables (<see cref="EnvVar"/>).
/// </summary>
public static class PodSettings
{
    public const string ModelSection = "Model";
    public const string BatchingSection = "Batching";
    public const string QueueSection = "Queue";
    public const string WarmupSection = "Warmup";
    public const string ServerSection = "Server";
    public const string PreprocessingSection = "Preprocessing";
    public const string PostprocessingSection = "Postprocessing";
    public const string CacheSection = "Cache";
    public const string JobsSection = "Jobs";
    public const string RateLimitsSection = "RateLimits";
    public const string GpuSection = "Gpu";

    public const string ModelPath = "Model:Path";
    public const string ModelName = "Model:Name";
    public const string ModelVersion = "Model:Version";
    public const string ModelInstances = "Model:Instances";
    public const string ModelExecutionProvider = "Model:ExecutionProvider";
    public const string ModelDeviceId = "Model:DeviceId";
    public const string ModelIntraOpThreads = "Model:IntraOpThreads";
    public const string ModelAllowSpinning = "Model:AllowSpinning";
    public const string ModelThreadLayoutSearch = "Model:ThreadLayoutSearch";

    public const string BatchingMaxBatchSize = "Batching:MaxBatchSize";
    public const string BatchingMaxQueueDelayMs = "Batching:MaxQueueDelayMs";

    public const string QueueCapacity = "Queue:Capacity";
    public const string QueueDefaultTimeoutMs = "Queue:DefaultTimeoutMs";
    public const string QueuePriorityLevels = "Queue:PriorityLevels";

    public const string WarmupBatchSizes = "Warmup:BatchSizes";
    public const string WarmupIterations = "Warmup:Iterations";

    public const string ServerDrainTimeoutSeconds = "Server:DrainTimeoutSeconds";
    public const string ServerMaxRequestBodyBytes = "Server:MaxRequestBodyBytes";
    /// <summary>Longest a request body may take to arrive in full; a slower upload gets 408.</summary>
    public const string ServerBodyTimeoutSeconds = "Server:BodyTimeoutSeconds";
    /// <summary>Console log format: "simple" (default) or "json" (one structured object per line).</summary>
    public const string ServerLogFormat = "Server:LogFormat";
    /// <summary>Port of the V2 gRPC endpoint (HTTP/2 cleartext); 0 lets the system choose one.</summary>
    public const string ServerGrpcPort = "Server:GrpcPort";
    /// <summary>
    /// Where a start-up failure's one line is written for Kubernetes to show as the container's
    /// termination message; the default is written only when the file exists (the kubelet creates it).
    /// </summary>
    public const string ServerTerminationMessagePath = "Server:TerminationMessagePath";
    public const string DefaultTerminationMessagePath = "/dev/termination-log";

    /// <summary>Per-client quotas, e.g. "2/s, 5/min, 100/h"; empty turns rate limiting off.</summary>
    public const string RateLimitsLimits = "RateLimits:Limits";
    /// <summary>Header whose value identifies a client; empty keys clients by address only.</summary>
    public const string RateLimitsApiKeyHeader = "RateLimits:ApiKeyHeader";
    /// <summary>Header a trusted proxy sets with the client address (e.g. X-Forwarded-For); empty uses the connection's address.</summary>
    public const string RateLimitsForwardedHeader = "RateLimits:ForwardedHeader";
    /// <summary>Most clients whose quota state is kept; beyond it the least recently seen is forgotten.</summary>
    public const string RateLimitsMaxClients = "RateLimits:MaxClients";

    /// <summary>Batches wait while the serving GPU has less free memory than this (bytes); 0 turns the check off.</summary>
    public const string GpuMinFreeMemoryBytes = "Gpu:MinFreeMemoryBytes";
    /// <summary>How often GPU memory and utilization are read through NVML.</summary>
    public const string GpuSampleIntervalMs = "Gpu:SampleIntervalMs";
    /// <summary>The CUDA provider's memory arena limit in bytes (gpu_mem_limit); 0 leaves it unlimited.</summary>
    public const string GpuMemoryLimitBytes = "Gpu:MemoryLimitBytes";
    /// <summary>How the CUDA arena grows (arena_extend_strategy): NextPowerOfTwo or SameAsRequested.</summary>
    public const string GpuArenaExtendStrategy = "Gpu:ArenaExtendStrategy";
    /// <summary>cuDNN convolution algorithm search (cudnn_conv_algo_search): Exhaustive, Heuristic or Default.</summary>
    public const string GpuCudnnConvAlgoSearch = "Gpu:CudnnConvAlgoSearch";
    /// <summary>CUDA graph capture (enable_cuda_graph); refused at start, see the pod's GpuOptions.</summary>
    public const string GpuCudaGraph = "Gpu:CudaGraph";

    public const string PreprocessingEnabled = "Preprocessing:Enabled";
    public const string PreprocessingInput = "Preprocessing:Input";
    public const string PreprocessingResizeShorterSide = "Preprocessing:ResizeShorterSide";
    public const string PreprocessingHeight = "Preprocessing:Height";
    public const string PreprocessingWidth = "Preprocessing:Width";
    public const string PreprocessingLayout = "Preprocessing:Layout";
    public const string PreprocessingChannelOrder = "Preprocessing:ChannelOrder";
    public const string PreprocessingScale = "Preprocessing:Scale";
    public const string PreprocessingMean = "Preprocessing:Mean";
    public const string PreprocessingStd = "Preprocessing:Std";
    public const string PreprocessingDataType = "Preprocessing:DataType";
    public const string PreprocessingMaxPixels = "Preprocessing:MaxPixels";
    public const string PreprocessingDecodeThreads = "Preprocessing:DecodeThreads";
    public const string PreprocessingMaxQueuedDecodes = "Preprocessing:MaxQueuedDecodes";
    public const string PreprocessingDecodeTimeoutSeconds = "Preprocessing:DecodeTimeoutSeconds";

    public const string PostprocessingEnabled = "Postprocessing:Enabled";
    public const string PostprocessingOutput = "Postprocessing:Output";
    public const string PostprocessingSoftmax = "Postprocessing:Softmax";
    public const string PostprocessingTopK = "Postprocessing:TopK";
    public const string PostprocessingLabelsPath = "Postprocessing:LabelsPath";

    public const string CacheEnabled = "Cache:Enabled";
    public const string CacheTtlSeconds = "Cache:TtlSeconds";
    public const string CacheMaxBytes = "Cache:MaxBytes";
    public const string CacheMaxEntryBytes = "Cache:MaxEntryBytes";
    public const string CacheRedis = "Cache:Redis";
    public const string CacheRedisTimeoutMs = "Cache:RedisTimeoutMs";

    public const string JobsEnabled = "Jobs:Enabled";
    public const string JobsMaxJobs = "Jobs:MaxJobs";
    /// <summary>Most rows one job may carry; a job larger than a batch runs one batch at a time and reports progress.</summary>
    public const string JobsMaxRows = "Jobs:MaxRows";
    public const string JobsResultTtlSeconds = "Jobs:ResultTtlSeconds";
    public const string JobsQueueTimeoutSeconds = "Jobs:QueueTimeoutSeconds";
    public const string JobsMaxResultBytes = "Jobs:MaxResultBytes";
    public const string JobsRedis = "Jobs:Redis";
    public const string JobsRedisTimeoutMs = "Jobs:RedisTimeoutMs";

    /// <summary>Values of <see cref="PreprocessingLayout"/>.</summary>
    public static class ImageLayouts
    {
        public const string Nchw = "NCHW";
        public const string Nhwc = "NHWC";
    }

    /// <summary>Values of <see cref="PreprocessingChannelOrder"/>.</summary>
    public static class ChannelOrders
    {
        public const string Rgb = "RGB";
        public const string Bgr = "BGR";
    }

    /// <summary>Values of <see cref="GpuArenaExtendStrategy"/>.</summary>
    public static class ArenaExtendStrategies
    {
        public const string NextPowerOfTwo = "NextPowerOfTwo";
        public const string SameAsRequested = "SameAsRequested";
    }

    /// <summary>Values of <see cref="GpuCudnnConvAlgoSearch"/>.</summary>
    public static class CudnnConvAlgoSearches
    {
        public const string Exhaustive = "Exhaustive";
        public const string Heuristic = "Heuristic";
        public const string Default = "Default";
    }

    /// <summary>The ASP.NET Core variable the operator sets to choose the pod's HTTP port.</summary>
    public const string HttpPortsEnvVar = "ASPNETCORE_HTTP_PORTS";

    /// <summary>Port the pod listens on inside a container.</summary>
    public const int DefaultHttpPort = 8080;

    /// <summary>Port of the V2 gRPC endpoint inside a container.</summary>
    public const int DefaultGrpcPort = 8081;

    /// <summary>The execution provider values of <see cref="ModelExecutionProvider"/>.</summary>
    public static class ExecutionProviders
    {
        public const string Cpu = "cpu";
        public const string Cuda = "cuda";
    }

    /// <summary>The environment variable name for a configuration key ("Model:Path" → "Model__Path").</summary>
    public static string EnvVar(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
