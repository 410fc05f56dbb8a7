namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// One measured pod: its gauges at the latest scrape and its traffic over each window
/// (null for a pod scraped only once, which has no window yet).
/// </summary>
public sealed record PodSignals(string Name, double QueueDepth, double InFlight, WindowSignals? Stable, WindowSignals? Short);
