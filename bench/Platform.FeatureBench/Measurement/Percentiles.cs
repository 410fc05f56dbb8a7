namespace Platform.FeatureBench.Measurement;

/// <summary>Exact order statistics (nearest rank) of timestamp-tick samples, in milliseconds.</summary>
internal static class Percentiles
{
    public static double Ms(long ticks) => ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    /// <summary>The smallest sample with at least <paramref name="quantile"/> of the samples at or below it; <paramref name="sorted"/> ascending.</summary>
    public static double NearestRankMs(IReadOnlyList<long> sorted, double quantile)
    {
        if (sorted.Count == 0) return double.NaN;
        var rank = (int)Math.Ceiling(quantile * sorted.Count);
        return Ms(sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)]);
    }

    public static long[] Sorted(IEnumerable<long> samples)
    {
        var array = samples.ToArray();
        Array.Sort(array);
        return array;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
