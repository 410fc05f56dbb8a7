using Prometheus;

namespace Platform.Operator.Controller;

/// <summary>The operator's own metrics: reconciles, errors, duration, work queue depth, API writes.</summary>
public sealed class OperatorMetrics
{
    private readonly Counter _reconciles;
    private readonly Counter _writes;

    public OperatorMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _reconciles = factory.CreateCounter("platform_operator_reconciles_total", "Reconciles run, by result (success, error, invalid).", ["result"]);
        _writes = factory.CreateCounter("platform_operator_api_writes_total", "Writes the operator made to the Kubernetes API, by verb and resource.", ["verb", "resource"]);
        ReconcileDuration = factory.CreateHistogram("platform_operator_reconcile_duration_seconds", "Time of one reconcile in seconds.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        QueueDepth = factory.CreateGauge("platform_operator_workqueue_depth", "Keys waiting in the work queue.");
        Leader = factory.CreateGauge("platform_operator_leader", "1 while this replica holds the leader lease.");
    }

    public CollectorRegistry Registry { get; }
    public Histogram ReconcileDuration { get; }
    public Gauge QueueDepth { get; }
    public Gauge Leader { get; }

    public void CountReconcile(string result) => _reconciles.WithLabels(result).Inc();
    public void CountWrite(string verb, string resource) => _writes.WithLabels(verb, resource).Inc();
}
