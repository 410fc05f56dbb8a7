using Platform.Contracts;

namespace Platform.InferencePod.Gpu;

/// <summary>Checks the "Gpu" section; each problem is one line naming its key.</summary>
public static class GpuOptionsValidator
{
    /// <summary>Below this an arena limit cannot hold the provider's own workspaces, let alone a model.</summary>
    public const long MinMemoryLimitBytes = 32L << 20;

    public static List<string> Validate(GpuOptions options)
    {
        var errors = new List<string>();
        if (options.MinFreeMemoryBytes < 0)
            errors.Add($"{PodSettings.GpuMinFreeMemoryBytes} must be 0 (off) or a number of bytes (got {options.MinFreeMemoryBytes})");
        if (double.IsNaN(options.SampleIntervalMs) || options.SampleIntervalMs < 10 || options.SampleIntervalMs > 60_000)
            errors.Add($"{PodSettings.GpuSampleIntervalMs} must be between 10 and 60000 (got {options.SampleIntervalMs})");
        if (options.MemoryLimitBytes != 0 && options.MemoryLimitBytes < MinMemoryLimitBytes)
            errors.Add($"{PodSettings.GpuMemoryLimitBytes} must be 0 (no limit) or at least {MinMemoryLimitBytes} bytes (got {options.MemoryLimitBytes})");
        if (options.ArenaExtendStrategy is not (PodSettings.ArenaExtendStrategies.NextPowerOfTwo or PodSettings.ArenaExtendStrategies.SameAsRequested))
            errors.Add($"{PodSettings.GpuArenaExtendStrategy} must be '{PodSettings.ArenaExtendStrategies.NextPowerOfTwo}' or '{PodSettings.ArenaExtendStrategies.SameAsRequested}' (got '{options.ArenaExtendStrategy}')");
        if (options.CudnnConvAlgoSearch is not (PodSettings.CudnnConvAlgoSearches.Exhaustive or PodSettings.CudnnConvAlgoSearches.Heuristic or PodSettings.CudnnConvAlgoSearches.Default))
            errors.Add($"{PodSettings.GpuCudnnConvAlgoSearch} must be '{PodSettings.CudnnConvAlgoSearches.Exhaustive}', '{PodSettings.CudnnConvAlgoSearches.Heuristic}' or '{PodSettings.CudnnConvAlgoSearches.Default}' (got '{options.CudnnConvAlgoSearch}')");
        if (options.CudaGraph)
            errors.Add($"{PodSettings.GpuCudaGraph} is not supported: a CUDA graph replays fixed device addresses and shapes, and the pod's batches vary in size and are copied from host memory on each run; leave it false");
        return errors;
    }
}
