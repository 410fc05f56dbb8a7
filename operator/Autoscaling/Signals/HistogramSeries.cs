namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// One cumulative histogram series as scraped: ascending bucket upper bounds ending with
/// +Inf, the cumulative count at each bound, and the series' sum and count.
/// </summary>
public sealed record HistogramSeries
{
    public HistogramSeries(double[] upperBounds, double[] cumulativeCounts, double sum, double count)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        ArgumentNullException.ThrowIfNull(cumulativeCounts);
        if (upperBounds.Length != cumulativeCounts.Length)
        {
            throw new ArgumentException("Every bucket bound needs exactly one count.", nameof(cumulativeCounts));
        }

        if (upperBounds.Length == 0 || !double.IsPositiveInfinity(upperBounds[^1]))
        {
            throw new ArgumentException("The last bucket bound must be +Inf.", nameof(upperBounds));
        }

        for (var i = 1; i < upperBounds.Length; i++)
        {
            if (!(upperBounds[i] > upperBounds[i - 1]))
            {
                throw new ArgumentException("Bucket bounds must be strictly ascending.", nameof(upperBounds));
            }
        }

        UpperBounds = upperBounds;
        CumulativeCounts = cumulativeCounts;
        Sum = sum;
        Count = count;
    }

    public IReadOnlyList<double> UpperBounds { get; }

    public IReadOnlyList<double> CumulativeCounts { get; }

    public double Sum { get; }

    public double Count { get; }
}
