namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// The quantile of a cumulative histogram computed as PromQL's <c>histogram_quantile</c>
/// does: linear interpolation inside the bucket that holds the rank (the first bucket
/// starting at 0), and the highest finite bound when the rank falls in the +Inf bucket.
/// </summary>
public static class HistogramQuantile
{
    /// <summary>
    /// Returns NaN when the histogram has no observations, fewer than two buckets, or no
    /// +Inf bucket. Counts that decrease along the bounds (possible when series were summed
    /// from scrapes taken at different moments) are raised to stay monotonic, as PromQL does.
    /// </summary>
    /// <param name="upperBounds">Strictly ascending bucket bounds.</param>
    /// <param name="cumulativeCounts">The cumulative count at each bound.</param>
    public static double Compute(double quantile, IReadOnlyList<double> upperBounds, IReadOnlyList<double> cumulativeCounts)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        ArgumentNullException.ThrowIfNull(cumulativeCounts);
        if (upperBounds.Count != cumulativeCounts.Count)
        {
            throw new ArgumentException("Every bucket bound needs exactly one count.", nameof(cumulativeCounts));
        }

        if (double.IsNaN(quantile))
        {
            return double.NaN;
        }

        if (quantile < 0)
        {
            return double.NegativeInfinity;
        }

        if (quantile > 1)
        {
            return double.PositiveInfinity;
        }

        var n = upperBounds.Count;
        if (n < 2 || !double.IsPositiveInfinity(upperBounds[n - 1]))
        {
            return double.NaN;
        }

        var counts = new double[n];
        var running = 0.0;
        for (var i = 0; i < n; i++)
        {
            running = Math.Max(running, cumulativeCounts[i]);
            counts[i] = running;
        }

        var observations = counts[n - 1];
        if (!(observations > 0))
        {
            return double.NaN;
        }

        var rank = quantile * observations;
        var b = 0;
        while (b < n - 1 && counts[b] < rank)
        {
            b++;
        }

        if (b == n - 1)
        {
            return upperBounds[n - 2];
        }

        if (b == 0 && upperBounds[0] <= 0)
        {
            return upperBounds[0];
        }

        var bucketStart = 0.0;
        var bucketEnd = upperBounds[b];
        var count = counts[b];
        if (b > 0)
        {
            bucketStart = upperBounds[b - 1];
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }

        return bucketStart + ((bucketEnd - bucketStart) * (rank / count));
    }
}
