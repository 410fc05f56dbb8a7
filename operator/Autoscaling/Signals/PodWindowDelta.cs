namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// What one pod did between two of its scrapes: requests answered, their summed latency,
/// overload rejections, the change of its in-flight gauge, and the per-bucket increase of
/// the request-duration histogram.
/// </summary>
public sealed record PodWindowDelta(
    string PodName,
    TimeSpan Elapsed,
    double Requests,
    double LatencySum,
    double OverloadRejections,
    double InFlightChange,
    IReadOnlyDictionary<double, double> BucketIncreases)
{
    /// <summary>
    /// Requests that arrived in the window: answered, refused, or still held in addition
    /// to what was held at its start.
    /// </summary>
    public double Arrivals => Requests + OverloadRejections + InFlightChange;

    /// <summary>
    /// Differences two snapshots of the same pod. A series whose count or any bucket fell
    /// was reset (the container restarted), so its new values are the increase, as PromQL's
    /// <c>rate</c> treats a reset; the whole series is taken as reset so that its buckets stay
    /// consistent with each other. A series absent from <paramref name="earlier"/> started
    /// after it, so all of its counts are new.
    /// </summary>
    public static PodWindowDelta Between(PodMetricsSnapshot earlier, PodMetricsSnapshot later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        if (!string.Equals(earlier.PodName, later.PodName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Snapshots of different pods ('{earlier.PodName}', '{later.PodName}').", nameof(later));
        }

        if (later.ScrapedAt <= earlier.ScrapedAt)
        {
            throw new ArgumentException("The later snapshot must be taken after the earlier one.", nameof(later));
        }

        var requests = 0.0;
        var latencySum = 0.0;
        var buckets = new Dictionary<double, double>();
        foreach (var (key, current) in later.RequestDuration)
        {
            earlier.RequestDuration.TryGetValue(key, out var previous);
            var reset = previous is null || WasReset(previous, current);
            requests += reset ? current.Count : current.Count - previous!.Count;
            latencySum += reset ? current.Sum : Math.Max(0, current.Sum - previous!.Sum);
            for (var i = 0; i < current.UpperBounds.Count; i++)
            {
                var bound = current.UpperBounds[i];
                var increase = reset ? current.CumulativeCounts[i] : current.CumulativeCounts[i] - CountAt(previous!, bound, current.CumulativeCounts[i]);
                buckets[bound] = buckets.GetValueOrDefault(bound) + increase;
            }
        }

        var rejections = later.OverloadRejections >= earlier.OverloadRejections
            ? later.OverloadRejections - earlier.OverloadRejections
            : later.OverloadRejections;

        return new PodWindowDelta(
            later.PodName, later.ScrapedAt - earlier.ScrapedAt, requests, latencySum, rejections, later.InFlight - earlier.InFlight, buckets);
    }

    private static bool WasReset(HistogramSeries previous, HistogramSeries current)
    {
        if (current.Count < previous.Count)
        {
            return true;
        }

        for (var i = 0; i < current.UpperBounds.Count; i++)
        {
            if (current.CumulativeCounts[i] < CountAt(previous, current.UpperBounds[i], 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The earlier count at <paramref name="bound"/>, or <paramref name="missing"/> for a bucket it lacked.</summary>
    private static double CountAt(HistogramSeries series, double bound, double missing)
    {
        for (var i = 0; i < series.UpperBounds.Count; i++)
        {
            if (series.UpperBounds[i] == bound)
            {
                return series.CumulativeCounts[i];
            }
        }

        return missing;
    }
}
