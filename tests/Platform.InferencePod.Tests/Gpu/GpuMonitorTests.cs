using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Gpu;
using Platform.InferencePod.Hosting;
using Platform.InferencePod.Tests.Support;
using Prometheus;

namespace Platform.InferencePod.Tests.Gpu;

public sealed class GpuMonitorTests
{
    private static PodOptions Options(long minFree = 0) =>
        new(new ModelOptions(), new BatchingOptions(), new QueueOptions(), new WarmupOptions(), new ServerOptions()) { Gpu = new GpuOptions { MinFreeMemoryBytes = minFree } };

    private static async Task<string> ExportAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Without_nvml_there_are_no_gpu_metrics_no_readings_and_no_errors()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var monitor = new GpuMonitor(null, "libnvidia-ml.so.1 is not present", Options(minFree: 1_000), registry, TimeProvider.System, NullLogger<GpuMonitor>.Instance);
        await monitor.StartAsync(CancellationToken.None);
        await monitor.StopAsync(CancellationToken.None);
        Assert.False(monitor.Available);
        Assert.False(monitor.TryGetFreeMemory(0, out _));
        Assert.DoesNotContain("platform_gpu_", await ExportAsync(registry));
    }

    [Fact]
    public async Task The_monitor_exports_gpu_gauges_exactly_when_the_node_has_nvml()
    {
        var present = NativeLibrary.TryLoad(NvmlLibrary.LibraryName, out var handle);
        if (present) NativeLibrary.Free(handle);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var monitor = new GpuMonitor(Options(), registry, TimeProvider.System, NullLogger<GpuMonitor>.Instance);
        var text = await ExportAsync(registry);
        if (monitor.Available)
        {
            Assert.Contains("platform_gpu_memory_total_bytes{gpu=\"0\"}", text);
            Assert.True(monitor.TryGetFreeMemory(0, out var free) && free > 0);
        }
        else
        {
            // A CPU node (like the build machines): the driver's library is absent or unusable.
            Assert.DoesNotContain("platform_gpu_", text);
        }
        Assert.True(present || !monitor.Available);
    }

    [Theory]
    [InlineData("--Gpu:MinFreeMemoryBytes=-1", "Gpu:MinFreeMemoryBytes must be 0 (off) or a number of bytes (got -1)")]
    [InlineData("--Gpu:SampleIntervalMs=1", "Gpu:SampleIntervalMs must be between 10 and 60000 (got 1)")]
    public void Bad_gpu_settings_stop_start_up_with_one_line(string setting, string expected)
    {
        var error = Assert.Throws<StartupException>(() => PodApp.Build([$"--Model:Path={TestModels.Mlp}", setting]));
        Assert.Contains(expected, error.Message);
    }
}
