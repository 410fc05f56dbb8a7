namespace Platform.LoadGen.Measurement;

/// <summary>Exact order statistics of a set of latencies, in milliseconds.</summary>
internal sealed record LatencySummary(long Count, double MeanMs, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    /// <summary>
    /// Summarizes durations given in timestamp ticks (<paramref name="ticksPerSecond"/> per second).
    /// Every sample is kept and sorted, so percentiles are exact (nearest rank), not bucketed.
    /// Returns null for an empty set.
    /// </summary>
    public static LatencySummary? FromTicks(IEnumerable<long> ticks, long ticksPerSecond)
    {
        var sorted = ticks.ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }
        Array.Sort(sorted);
        var toMs = 1000.0 / ticksPerSecond;
        return new LatencySummary(
            sorted.Length,
            sorted.Average(t => (double)t) * toMs,
            NearestRank(sorted, 0.50) * toMs,
            NearestRank(sorted, 0.95) * toMs,
            NearestRank(sorted, 0.99) * toMs,
            sorted[^1] * toMs);
    }

    /// <summary>The smallest sample with at least <paramref name="quantile"/> of the samples at or below it.</summary>
    public static long NearestRank(long[] sorted, double quantile)
    {
        var rank = (int)Math.Ceiling(quantile * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
