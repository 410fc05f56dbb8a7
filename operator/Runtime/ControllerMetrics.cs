using Prometheus;

namespace Platform.Operator.Runtime;

/// <summary>The controller runtime's metrics: reconciles by result, their duration, work queue depth, leadership.</summary>
public sealed class ControllerMetrics
{
    private readonly Counter _reconciles;

    public ControllerMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _reconciles = factory.CreateCounter("platform_operator_reconciles_total", "Reconciles run, by result (success, error, invalid, refused, deleted).", ["result"]);
        ReconcileDuration = factory.CreateHistogram("platform_operator_reconcile_duration_seconds", "Time of one reconcile in seconds.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        QueueDepth = factory.CreateGauge("platform_operator_workqueue_depth", "Keys waiting in the work queue.");
        Leader = factory.CreateGauge("platform_operator_leader", "1 while this replica holds the leader lease.");
    }

    public Histogram ReconcileDuration { get; }
    public Gauge QueueDepth { get; }
    public Gauge Leader { get; }

    public void CountReconcile(string result) => _reconciles.WithLabels(result).Inc();
}
