using Platform.InferencePod.Configuration;

namespace Platform.InferencePod.Gpu;

/// <summary>The decision, free of I/O: hold batches while the GPU's free memory is known and below the minimum.</summary>
public static class GpuMemoryPolicy
{
    /// <param name="known">Whether a reading exists; without one batches are never held.</param>
    public static bool ShouldHold(bool known, long freeBytes, long minFreeBytes) =>
        minFreeBytes > 0 && known && freeBytes < minFreeBytes;
}

/// <summary>
/// What the batch loops ask before taking a batch: whether the serving GPU has too little free
/// memory to start another run. Held requests stay queued (their deadlines still apply) until
/// memory is freed; a node without NVML never holds.
/// </summary>
public sealed class GpuMemoryGate(IGpuMemorySource source, PodOptions options, ILogger<GpuMemoryGate> logger)
{
    private int _holding;

    /// <summary>How long a held loop waits before it asks again (unless work arrives sooner).</summary>
    public TimeSpan RecheckInterval => options.Gpu.SampleInterval;

    public bool ShouldHoldBatches()
    {
        var minimum = options.Gpu.MinFreeMemoryBytes;
        if (minimum <= 0) return false;
        var known = source.TryGetFreeMemory(options.Model.DeviceId, out var free);
        var hold = GpuMemoryPolicy.ShouldHold(known, free, minimum);
        if (Interlocked.Exchange(ref _holding, hold ? 1 : 0) != (hold ? 1 : 0))
        {
            if (hold)
                logger.LogWarning("GPU {Device} has {Free} bytes free, below Gpu:MinFreeMemoryBytes ({Minimum}); holding batches back", options.Model.DeviceId, free, minimum);
            else
                logger.LogInformation("GPU {Device} has memory free again; batches resume", options.Model.DeviceId);
        }
        return hold;
    }
}
