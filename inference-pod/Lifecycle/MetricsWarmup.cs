using System.Diagnostics;
using Platform.InferencePod.Metrics;

namespace Platform.InferencePod.Lifecycle;

/// <summary>
/// Records on every instrument the serving path records on, once, on a throwaway registry:
/// warm-up calls are kept out of the real metrics, so without this the first request after
/// ready would compile the metrics library's record and export code (several milliseconds of
/// JIT, as many as a small model's run), while the exported figures stay untouched.
/// </summary>
public static class MetricsWarmup
{
    public static async Task RunAsync(string model, CancellationToken cancellationToken)
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new PodMetricSet(registry, model);
        // Inside a trace, as a request is: the library then records exemplars (trace and span ids),
        // which is its own code to compile.
        using var trace = new Activity("warm-up").SetIdFormat(ActivityIdFormat.W3C).Start();
        metrics.InFlight.Inc();
        metrics.QueueWait.Observe(0.001);
        metrics.ComputeDuration.Observe(0.001);
        metrics.BatchSize.Observe(1);
        metrics.BatchServiceTime.Observe(1, 0.001);
        metrics.InFlight.Dec();
        metrics.CountResponse(200);
        metrics.RequestDuration.Observe(0.002);
        metrics.QueueDepth.Set(0);
        await registry.CollectAndExportAsTextAsync(Stream.Null, cancellationToken);
    }
}
