using Platform.Contracts;

namespace Platform.InferencePod.Configuration;

/// <summary>
/// Checks every setting and collects all problems, each naming its configuration key, so a
/// bad configuration is reported at once rather than one error per restart.
/// </summary>
public static class PodOptionsValidator
{
    public static List<string> Validate(ModelOptions model, BatchingOptions batching, QueueOptions queue, WarmupOptions warmup, ServerOptions server)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(model.Path))
            errors.Add($"{PodSettings.ModelPath} is required (path of the .onnx file to serve)");
        else if (!File.Exists(model.Path))
            errors.Add($"{PodSettings.ModelPath} '{model.Path}' does not exist or is not a file");
        if (!string.IsNullOrEmpty(model.Path) && string.IsNullOrWhiteSpace(model.ResolvedName))
            errors.Add($"{PodSettings.ModelName} is empty");
        else if (!string.IsNullOrEmpty(model.Path) && !IsValidName(model.ResolvedName))
            errors.Add($"{PodSettings.ModelName} '{model.ResolvedName}' may contain only letters, digits, '.', '_' and '-'");
        if (!IsValidName(model.Version))
            errors.Add($"{PodSettings.ModelVersion} '{model.Version}' may contain only letters, digits, '.', '_' and '-'");
        Range(errors, PodSettings.ModelInstances, model.Instances, 0, 64);
        if (model.ExecutionProvider is not (PodSettings.ExecutionProviders.Cpu or PodSettings.ExecutionProviders.Cuda))
            errors.Add($"{PodSettings.ModelExecutionProvider} must be '{PodSettings.ExecutionProviders.Cpu}' or '{PodSettings.ExecutionProviders.Cuda}' (got '{model.ExecutionProvider}')");
        Range(errors, PodSettings.ModelDeviceId, model.DeviceId, 0, 255);
        Range(errors, PodSettings.ModelIntraOpThreads, model.IntraOpThreads, 0, 1024);

        Range(errors, PodSettings.BatchingMaxBatchSize, batching.MaxBatchSize, 1, 4096);
        Range(errors, PodSettings.BatchingMaxQueueDelayMs, batching.MaxQueueDelayMs, 0, 10_000);

        Range(errors, PodSettings.QueueCapacity, queue.Capacity, 1, 1_000_000);
        Range(errors, PodSettings.QueueDefaultTimeoutMs, queue.DefaultTimeoutMs, 1, 3_600_000);
        Range(errors, PodSettings.QueuePriorityLevels, queue.PriorityLevels, 1, 16);

        if (!WarmupOptions.TryParseBatchSizes(warmup.BatchSizes, out var sizes))
            errors.Add($"{PodSettings.WarmupBatchSizes} must be a comma-separated list of positive integers (got '{warmup.BatchSizes}')");
        else if (sizes.Any(s => s > batching.MaxBatchSize))
            errors.Add($"{PodSettings.WarmupBatchSizes} '{warmup.BatchSizes}' has a size above {PodSettings.BatchingMaxBatchSize} ({batching.MaxBatchSize})");
        Range(errors, PodSettings.WarmupIterations, warmup.Iterations, 0, 1000);

        Range(errors, PodSettings.ServerDrainTimeoutSeconds, server.DrainTimeoutSeconds, 0, 3600);
        Range(errors, PodSettings.ServerMaxRequestBodyBytes, server.MaxRequestBodyBytes, 1024, 1L << 30);
        Range(errors, PodSettings.ServerGrpcPort, server.GrpcPort, 0, 65535);
        Range(errors, PodSettings.ServerBodyTimeoutSeconds, server.BodyTimeoutSeconds, 0.1, 3600);
        if (server.LogFormat is not ("simple" or "json"))
            errors.Add($"{PodSettings.ServerLogFormat} must be 'simple' or 'json' (got '{server.LogFormat}')");
        return errors;
    }

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 253 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    internal static void Range(List<string> errors, string key, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
            errors.Add($"{key} must be between {min} and {max} (got {value})");
    }
}
