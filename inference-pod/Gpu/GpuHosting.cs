namespace Platform.InferencePod.Gpu;

public static class GpuHosting
{
    /// <summary>The NVML monitor (sampling, metrics, the memory source) and the batch loops' memory gate.</summary>
    public static void AddPodGpu(this IServiceCollection services)
    {
        services.AddSingleton<GpuMonitor>();
        services.AddSingleton<IGpuMemorySource>(sp => sp.GetRequiredService<GpuMonitor>());
        services.AddHostedService(sp => sp.GetRequiredService<GpuMonitor>());
        services.AddSingleton<GpuMemoryGate>();
    }
}
