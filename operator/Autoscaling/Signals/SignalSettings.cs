namespace Platform.Operator.Autoscaling.Signals;

/// <summary>How scrapes are turned into signals.</summary>
public sealed record SignalSettings
{
    /// <summary>How often every ready pod is scraped.</summary>
    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A ready pod whose last successful scrape is older than this many intervals counts as missing.</summary>
    public int StaleAfterIntervals { get; init; } = 3;

    /// <summary>The window of the stable signals: windowed latency quantile, request rate, average in-flight.</summary>
    public TimeSpan StableWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The latency quantile to report, 0.95 for p95.</summary>
    public double LatencyQuantile { get; init; } = 0.95;

    public TimeSpan StaleAfter => ScrapeInterval * StaleAfterIntervals;

    /// <summary>How long snapshots must be kept to serve the stable window.</summary>
    public TimeSpan Retention => StableWindow + StaleAfter;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ScrapeInterval <= TimeSpan.Zero)
        {
            errors.Add($"scrape interval must be positive (was {ScrapeInterval}).");
        }

        if (StaleAfterIntervals < 1)
        {
            errors.Add($"stale-after intervals must be at least 1 (was {StaleAfterIntervals}).");
        }

        if (StableWindow <= TimeSpan.Zero)
        {
            errors.Add($"stable window must be positive (was {StableWindow}).");
        }

        if (!(LatencyQuantile > 0 && LatencyQuantile < 1))
        {
            errors.Add($"latency quantile must be between 0 and 1 exclusive (was {LatencyQuantile}).");
        }

        return errors;
    }
}
