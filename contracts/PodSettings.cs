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

    public const string ModelPath = "Model:Path";
    public const string ModelName = "Model:Name";
    public const string ModelVersion = "Model:Version";
    public const string ModelInstances = "Model:Instances";
    public const string ModelExecutionProvider = "Model:ExecutionProvider";
    public const string ModelDeviceId = "Model:DeviceId";
    public const string ModelIntraOpThreads = "Model:IntraOpThreads";
    public const string ModelAllowSpinning = "Model:AllowSpinning";

    public const string BatchingMaxBatchSize = "Batching:MaxBatchSize";
    public const string BatchingMaxQueueDelayMs = "Batching:MaxQueueDelayMs";

    public const string QueueCapacity = "Queue:Capacity";
    public const string QueueDefaultTimeoutMs = "Queue:DefaultTimeoutMs";
    public const string QueuePriorityLevels = "Queue:PriorityLevels";

    public const string WarmupBatchSizes = "Warmup:BatchSizes";
    public const string WarmupIterations = "Warmup:Iterations";

    public const string ServerDrainTimeoutSeconds = "Server:DrainTimeoutSeconds";
    public const string ServerMaxRequestBodyBytes = "Server:MaxRequestBodyBytes";

    /// <summary>The ASP.NET Core variable the operator sets to choose the pod's HTTP port.</summary>
    public const string HttpPortsEnvVar = "ASPNETCORE_HTTP_PORTS";

    /// <summary>Port the pod listens on inside a container.</summary>
    public const int DefaultHttpPort = 8080;

    /// <summary>The execution provider values of <see cref="ModelExecutionProvider"/>.</summary>
    public static class ExecutionProviders
    {
        public const string Cpu = "cpu";
        public const string Cuda = "cuda";
    }

    /// <summary>The environment variable name for a configuration key ("Model:Path" → "Model__Path").</summary>
    public static string EnvVar(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
