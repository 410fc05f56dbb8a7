using Prometheus;

namespace Platform.Operator.Controller;

/// <summary>The operator's own metrics beyond the controller runtime's: API writes and the builtin autoscaler's view.</summary>
public sealed class OperatorMetrics
{
    private readonly Counter _writes;
    private readonly Counter _scrapeErrors;
    private readonly Gauge _desiredReplicas;
    private readonly Gauge _queueDepth;
    private readonly Gauge _inFlight;
    private readonly Gauge _p95;
    private readonly Gauge _measuredPods;

    public OperatorMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _writes = factory.CreateCounter("platform_operator_api_writes_total", "Writes the operator made to the Kubernetes API, by verb and resource.", ["verb", "resource"]);
        string[] service = ["namespace", "inferenceservice"];
        _scrapeErrors = factory.CreateCounter("platform_operator_scrape_errors_total", "Pod metric scrapes that failed or were unusable.", service);
        _desiredReplicas = factory.CreateGauge("platform_operator_autoscaler_desired_replicas", "Replicas the autoscaler decided.", service);
        _queueDepth = factory.CreateGauge("platform_operator_autoscaler_queue_depth", "Queued requests summed over the measured pods.", service);
        _inFlight = factory.CreateGauge("platform_operator_autoscaler_in_flight_requests", "Admitted, unanswered requests summed over the measured pods.", service);
        _p95 = factory.CreateGauge("platform_operator_autoscaler_p95_latency_seconds", "Windowed p95 request latency merged over the pods (NaN without requests).", service);
        _measuredPods = factory.CreateGauge("platform_operator_autoscaler_measured_pods", "Ready pods with fresh metrics.", service);
    }

    public void CountWrite(string verb, string resource) => _writes.WithLabels(verb, resource).Inc();
    public void CountScrapeError(string ns, string name) => _scrapeErrors.WithLabels(ns, name).Inc();

    public void ObserveAutoscaler(string ns, string name, Autoscaling.Signals.ScalingSignals signals, Autoscaling.Policy.ScalingDecision decision)
    {
        _desiredReplicas.WithLabels(ns, name).Set(decision.DesiredReplicas);
        _queueDepth.WithLabels(ns, name).Set(signals.QueueDepth);
        _inFlight.WithLabels(ns, name).Set(signals.InFlight);
        _p95.WithLabels(ns, name).Set(signals.Stable.LatencyQuantileSeconds ?? double.NaN);
        _measuredPods.WithLabels(ns, name).Set(signals.MeasuredPods);
    }
}
