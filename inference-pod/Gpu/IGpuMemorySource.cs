namespace Platform.InferencePod.Gpu;

/// <summary>Where the batch loops learn how much memory a GPU has free.</summary>
public interface IGpuMemorySource
{
    /// <summary>The latest reading of GPU <paramref name="device"/>; false when there is none (no NVML, no such device, a failed read).</summary>
    bool TryGetFreeMemory(int device, out long freeBytes);
}
