namespace Platform.InferencePod.Gpu;

/// <summary>GPU memory watch through NVML (section "Gpu"). Without NVML on the node none of it applies.</summary>
public sealed class GpuOptions
{
    /// <summary>Batches wait while the serving GPU (Model:DeviceId) has less free memory than this; 0 turns the check off.</summary>
    public long MinFreeMemoryBytes { get; set; }
    /// <summary>How often memory and utilization are read.</summary>
    public double SampleIntervalMs { get; set; } = 250;

    public TimeSpan SampleInterval => TimeSpan.FromMilliseconds(SampleIntervalMs);
}
