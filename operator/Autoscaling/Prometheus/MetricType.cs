namespace Platform.Operator.Autoscaling.Prometheus;

/// <summary>The metric types of the Prometheus text exposition format (version 0.0.4).</summary>
public enum MetricType
{
    Untyped,
    Counter,
    Gauge,
    Histogram,
    Summary,
}
