using Platform.Operator.Autoscaling.Signals;

namespace Platform.Operator.Autoscaling.Policy;

/// <summary>
/// Makes signals safe to compute with. The extractor refuses non-finite metrics, but the
/// policy is public and its arithmetic (ceil, int casts, ratios) must not turn one odd
/// value into an odd count: NaN and negative amounts read as 0, an infinite amount as a
/// very large one; a p95 above the top bucket stays +∞ (the latency rule then asks for the
/// maximum), a NaN or negative p95 reads as none.
/// </summary>
internal static class SignalGuard
{
    /// <summary>Larger than any real rate or queue, small enough that sums and products stay finite.</summary>
    private const double Huge = 1e9;

    public static ScalingSignals Sanitize(ScalingSignals signals) => signals with
    {
        QueueDepth = Amount(signals.QueueDepth),
        InFlight = Amount(signals.InFlight),
        Stable = Window(signals.Stable),
        Short = Window(signals.Short),
        Pods = signals.Pods.IsDefault ? [] : [.. signals.Pods.Select(Pod)],
    };

    private static PodSignals Pod(PodSignals pod) => pod with
    {
        QueueDepth = Amount(pod.QueueDepth),
        InFlight = Amount(pod.InFlight),
        Stable = pod.Stable is null ? null : Window(pod.Stable),
        Short = pod.Short is null ? null : Window(pod.Short),
    };

    private static WindowSignals Window(WindowSignals w) => w with
    {
        Seconds = Amount(w.Seconds),
        RequestRate = Amount(w.RequestRate),
        ArrivalRate = Amount(w.ArrivalRate),
        OverloadRejectionRate = Amount(w.OverloadRejectionRate),
        AverageInFlight = Amount(w.AverageInFlight),
        LatencyQuantileSeconds = w.LatencyQuantileSeconds is { } p && (p >= 0 || double.IsPositiveInfinity(p)) ? p : null,
    };

    internal static double Amount(double value) => double.IsNaN(value) || value <= 0 ? 0 : Math.Min(value, Huge);
}
