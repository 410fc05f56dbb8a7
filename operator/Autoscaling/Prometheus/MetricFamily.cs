namespace Platform.Operator.Autoscaling.Prometheus;

/// <summary>
/// The samples that share one metric name: a gauge or counter's series, or every
/// <c>_bucket</c>, <c>_sum</c> and <c>_count</c> sample of a histogram.
/// </summary>
public sealed record MetricFamily(string Name, MetricType Type, string? Help, IReadOnlyList<MetricSample> Samples);
