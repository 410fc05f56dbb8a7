using Platform.Contracts;
using Platform.InferencePod.Gpu;

namespace Platform.InferencePod.Model;

/// <summary>The CUDA execution provider's option strings for validated settings (ONNX Runtime's names and values).</summary>
public static class CudaProviderOptions
{
    public static Dictionary<string, string> For(int deviceId, GpuOptions gpu)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["arena_extend_strategy"] = gpu.ArenaExtendStrategy == PodSettings.ArenaExtendStrategies.SameAsRequested ? "kSameAsRequested" : "kNextPowerOfTwo",
            ["cudnn_conv_algo_search"] = gpu.CudnnConvAlgoSearch.ToUpperInvariant(),
            ["enable_cuda_graph"] = "0",
        };
        if (gpu.MemoryLimitBytes > 0) options["gpu_mem_limit"] = gpu.MemoryLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return options;
    }
}
