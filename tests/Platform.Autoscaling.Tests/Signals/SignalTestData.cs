using System.Collections.Immutable;
using Platform.Contracts;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.Autoscaling.Tests.Signals;

/// <summary>Builds pod snapshots from lists of request latencies.</summary>
internal static class SignalTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly double[] Bounds = PodMetrics.LatencyBuckets.Append(double.PositiveInfinity).ToArray();

    public static HistogramSeries Series(IEnumerable<double> latencies)
    {
        var list = latencies.ToList();
        return new HistogramSeries(
            Bounds,
            Bounds.Select(b => (double)list.Count(l => l <= b)).ToArray(),
            list.Sum(),
            list.Count);
    }

    public static PodMetricsSnapshot Snapshot(
        string pod, double atSeconds, IEnumerable<double> latencies, double queue = 0, double inFlight = 0, double rejections = 0, string model = "m") =>
        new(
            pod,
            T0.AddSeconds(atSeconds),
            queue,
            inFlight,
            ImmutableDictionary<string, HistogramSeries>.Empty.Add("model\u001e" + model, Series(latencies)),
            rejections);

    public static IEnumerable<double> Repeat(double latency, int count) => Enumerable.Repeat(latency, count);
}
