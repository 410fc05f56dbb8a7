using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Platform.InferencePod.Gpu;

/// <summary>Registers the GPU watch: NVML sampling and metrics, and the batch loops' memory gate.</summary>
public static class GpuHosting
{
    public static void AddPodGpu(this IServiceCollection services)
    {
        services.AddSingleton<GpuMonitor>();
        // A host may bring its own reading of free memory (registered first); NVML's is the default.
        services.TryAddSingleton<IGpuMemorySource>(sp => sp.GetRequiredService<GpuMonitor>());
        services.AddHostedService(sp => sp.GetRequiredService<GpuMonitor>());
        services.AddSingleton<GpuMemoryGate>();
    }
}
