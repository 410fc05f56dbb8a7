namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// The service's traffic over one window, summed over the pods with two scrapes in it.
/// </summary>
/// <param name="PodsWithHistory">Pods that contributed a delta (a pod's first scrape has none).</param>
/// <param name="Seconds">The window's length, averaged over those pods (their scrapes differ slightly).</param>
/// <param name="RequestRate">Requests answered per second.</param>
/// <param name="ArrivalRate">
/// Requests arriving per second: answered, refused, or added to what the pods hold. Above
/// <paramref name="RequestRate"/> when the pods cannot keep up.
/// </param>
/// <param name="OverloadRejectionRate">Requests per second refused because a pod was full.</param>
/// <param name="AverageInFlight">
/// Time-averaged requests in the pods (queued plus computing), from Little's law: the
/// latency summed over the window's answered requests divided by the window's length. A pod
/// without a delta contributes its in-flight gauge instead, so new pods are not counted idle.
/// </param>
/// <param name="LatencyQuantileSeconds">
/// The configured quantile of request latency over the window, from the merged bucket
/// increases; null when no request was answered.
/// </param>
public sealed record WindowSignals(
    int PodsWithHistory,
    double Seconds,
    double RequestRate,
    double ArrivalRate,
    double OverloadRejectionRate,
    double AverageInFlight,
    double? LatencyQuantileSeconds)
{
    public static readonly WindowSignals None = new(0, 0, 0, 0, 0, 0, null);
}
