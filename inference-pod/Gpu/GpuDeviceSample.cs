namespace Platform.InferencePod.Gpu;

/// <summary>One reading of one GPU: memory in bytes, utilization as a fraction of the last sample period (NaN when the device does not report it).</summary>
public sealed record GpuDeviceSample(int Index, long FreeBytes, long TotalBytes, double UtilizationRatio);
