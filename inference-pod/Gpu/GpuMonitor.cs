using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Prometheus;

namespace Platform.InferencePod.Gpu;

/// <summary>
/// Reads every GPU's free and total memory and utilization through NVML on an interval, keeps
/// the latest reading for the batch loops, and exports it as gauges. On a node without NVML
/// it does nothing: no errors, no GPU metrics, and the memory gate never holds.
/// </summary>
public sealed class GpuMonitor : BackgroundService, IGpuMemorySource
{
    private readonly NvmlLibrary? _nvml;
    private readonly GpuOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<GpuMonitor> _logger;
    private readonly GpuDeviceSample?[] _latest;
    private readonly Gauge.Child[] _free = [];
    private readonly Gauge.Child[] _total = [];
    private readonly Gauge.Child[] _utilization = [];

    public GpuMonitor(PodOptions options, CollectorRegistry registry, TimeProvider time, ILogger<GpuMonitor> logger)
        : this(NvmlLibrary.TryOpen(out var reason), reason, options, registry, time, logger)
    {
    }

    internal GpuMonitor(NvmlLibrary? nvml, string unavailableReason, PodOptions options, CollectorRegistry registry, TimeProvider time, ILogger<GpuMonitor> logger)
    {
        _nvml = nvml;
        _options = options.Gpu;
        _time = time;
        _logger = logger;
        _latest = new GpuDeviceSample?[nvml?.DeviceCount ?? 0];
        if (nvml is null)
        {
            if (_options.MinFreeMemoryBytes > 0)
                logger.LogWarning("{Key} is set but GPU memory cannot be read ({Reason}); batches are never held for memory", PodSettings.GpuMinFreeMemoryBytes, unavailableReason);
            else
                logger.LogInformation("No GPU metrics: {Reason}", unavailableReason);
            return;
        }
        logger.LogInformation("NVML found {Count} GPU(s)", nvml.DeviceCount);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        string[] gpuLabel = [PodMetrics.GpuLabel];
        var free = factory.CreateGauge(PodMetrics.GpuMemoryFree, "Free memory of the GPU in bytes, as NVML reports it.", gpuLabel);
        var total = factory.CreateGauge(PodMetrics.GpuMemoryTotal, "Total memory of the GPU in bytes.", gpuLabel);
        var utilization = factory.CreateGauge(PodMetrics.GpuUtilization, "Fraction of the last sample period the GPU was busy (0 to 1).", gpuLabel);
        var labels = Enumerable.Range(0, nvml.DeviceCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        _free = labels.Select(l => free.WithLabels(l)).ToArray();
        _total = labels.Select(l => total.WithLabels(l)).ToArray();
        _utilization = labels.Select(l => utilization.WithLabels(l)).ToArray();
        Sample();
    }

    /// <summary>Whether NVML is present and readable on this node.</summary>
    public bool Available => _nvml is not null;

    public bool TryGetFreeMemory(int device, out long freeBytes)
    {
        freeBytes = 0;
        if ((uint)device >= (uint)_latest.Length || Volatile.Read(ref _latest[device]) is not { } sample) return false;
        freeBytes = sample.FreeBytes;
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_nvml is null) return;
        using var timer = new PeriodicTimer(_options.SampleInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) Sample();
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Sample()
    {
        for (var i = 0; i < _latest.Length; i++)
        {
            if (!_nvml!.TryRead(i, out var sample))
            {
                // A device that stops answering (reset, fallen off the bus) must not keep its last good reading.
                Volatile.Write(ref _latest[i], null);
                continue;
            }
            Volatile.Write(ref _latest[i], sample);
            _free[i].Set(sample.FreeBytes);
            _total[i].Set(sample.TotalBytes);
            if (!double.IsNaN(sample.UtilizationRatio)) _utilization[i].Set(sample.UtilizationRatio);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _nvml?.Dispose();
    }
}
