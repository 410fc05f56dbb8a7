using Platform.Contracts;
using Prometheus;

namespace Platform.InferencePod.Caching;

/// <summary>The response cache's instruments, exported only when the cache is enabled.</summary>
public sealed class CacheMetrics
{
    public CacheMetrics(CollectorRegistry registry, string model)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var requests = factory.CreateCounter(PodMetrics.CacheRequests,
            "Response cache lookups by result (hit, miss, bypass), and failed cache operations (error).", [PodMetrics.ModelLabel, PodMetrics.ResultLabel]);
        Hits = requests.WithLabels(model, PodMetrics.CacheResults.Hit);
        Misses = requests.WithLabels(model, PodMetrics.CacheResults.Miss);
        Bypasses = requests.WithLabels(model, PodMetrics.CacheResults.Bypass);
        Errors = requests.WithLabels(model, PodMetrics.CacheResults.Error);
        Bytes = factory.CreateGauge(PodMetrics.CacheBytes, "Bytes held by the in-process response cache.", [PodMetrics.ModelLabel]).WithLabels(model);
    }

    public Counter.Child Hits { get; }
    public Counter.Child Misses { get; }
    public Counter.Child Bypasses { get; }
    public Counter.Child Errors { get; }
    public Gauge.Child Bytes { get; }
}
