namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// One measured pod: its gauges at the latest scrape and its traffic over each window
/// (null for a pod scraped only once, which has no window yet).
/// </summary>
public sealed record PodSignals(string Name, double QueueDepth, double InFlight, WindowSignals? Stable, WindowSignals? Short)
{
    /// <summary>The pod's measured service time per batch size at its latest scrape; empty when it exports none.</summary>
    public System.Collections.Immutable.ImmutableSortedDictionary<int, double> ServiceCurve { get; init; } = System.Collections.Immutable.ImmutableSortedDictionary<int, double>.Empty;

    /// <summary>The model version of <see cref="ServiceCurve"/>.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>Model instances the pod reported at its latest scrape; null when it reports none.</summary>
    public int? ModelInstances { get; init; }
}
