using Platform.Contracts;

namespace Platform.InferencePod.Gpu;

/// <summary>
/// The GPU (section "Gpu"): the NVML memory watch, and the CUDA execution provider's options
/// when Model:ExecutionProvider is cuda (the device is Model:DeviceId). Without NVML on the node
/// the watch does not apply; on the CPU provider the CUDA options do not.
/// </summary>
public sealed class GpuOptions
{
    /// <summary>Batches wait while the serving GPU (Model:DeviceId) has less free memory than this; 0 turns the check off.</summary>
    public long MinFreeMemoryBytes { get; set; }
    /// <summary>How often memory and utilization are read.</summary>
    public double SampleIntervalMs { get; set; } = 250;

    /// <summary>Most bytes the CUDA provider's arena may hold (gpu_mem_limit); 0: no limit. A batch beyond it fails and is split.</summary>
    public long MemoryLimitBytes { get; set; }
    /// <summary>How the arena grows: NextPowerOfTwo (ONNX Runtime's default, fewer allocations) or SameAsRequested (less waste near the limit).</summary>
    public string ArenaExtendStrategy { get; set; } = PodSettings.ArenaExtendStrategies.NextPowerOfTwo;
    /// <summary>
    /// cuDNN's convolution algorithm search: Exhaustive (ONNX Runtime's default; benchmarks every
    /// algorithm once per input shape, which warm-up pays), Heuristic or Default.
    /// </summary>
    public string CudnnConvAlgoSearch { get; set; } = PodSettings.CudnnConvAlgoSearches.Exhaustive;
    /// <summary>
    /// CUDA graph capture. Refused: a captured graph replays on the device addresses it was
    /// captured with, which needs static shapes and inputs bound once in device memory, while the
    /// pod's batches vary in size and are copied from host memory on every run.
    /// </summary>
    public bool CudaGraph { get; set; }

    public TimeSpan SampleInterval => TimeSpan.FromMilliseconds(SampleIntervalMs);
}
