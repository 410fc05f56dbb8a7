namespace Platform.Operator.Autoscaling.Prometheus;

/// <summary>
/// One sample line: the full sample name (for a histogram, including the <c>_bucket</c>,
/// <c>_sum</c> or <c>_count</c> suffix), its labels, its value and the optional timestamp
/// in milliseconds since the Unix epoch.
/// </summary>
public sealed record MetricSample(string Name, LabelSet Labels, double Value, long? TimestampMs);
