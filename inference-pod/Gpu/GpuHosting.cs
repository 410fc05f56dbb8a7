namespace Platform.InferencePod.Gpu;

/// <summary>Registers the GPU watch: NVML sampling and metrics, and the batch loops' memory gate.</summary>
public static class GpuHosting
{
    public static void AddPodGpu(this IServiceCollection services)
    {
        services.AddSingleton<GpuMonitor>();
        services.AddSingleton<IGpuMemorySource>(sp => sp.GetRequiredService<GpuMonitor>());
        services.AddHostedService(sp => sp.GetRequiredService<GpuMonitor>());
        services.AddSingleton<GpuMemoryGate>();
    }
}
