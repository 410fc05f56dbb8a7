using System.Collections.Immutable;

namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// What the autoscaler keeps from one successful scrape of one pod: the queue gauges at
/// scrape time and the cumulative counters it differences between scrapes.
/// </summary>
/// <param name="RequestDuration">
/// The request-duration histogram, one entry per series (keyed by its labels other than
/// <c>le</c>, e.g. one per model). Empty before the pod answered its first request.
/// </param>
/// <param name="OverloadRejections">
/// Requests refused because the pod was overloaded (queue full or deadline passed), a
/// cumulative counter summed over those reasons; requests the pod never served.
/// </param>
public sealed record PodMetricsSnapshot(
    string PodName,
    DateTimeOffset ScrapedAt,
    double QueueDepth,
    double InFlight,
    ImmutableDictionary<string, HistogramSeries> RequestDuration,
    double OverloadRejections)
{
    /// <summary>
    /// The pod's measured service time per batch size (seconds per model run; see
    /// <c>PodMetrics.BatchServiceTime</c>); empty for a pod that does not export it.
    /// </summary>
    public ImmutableSortedDictionary<int, double> ServiceCurve { get; init; } = ImmutableSortedDictionary<int, double>.Empty;

    /// <summary>The model version the curve was measured on; null without a curve.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>
    /// Model instances (ONNX Runtime sessions) the pod runs (see <c>PodMetrics.ModelInstances</c>);
    /// null for a pod that does not export it or has not loaded its model yet.
    /// </summary>
    public int? ModelInstances { get; init; }
}
