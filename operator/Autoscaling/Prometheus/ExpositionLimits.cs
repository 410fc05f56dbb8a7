namespace Platform.Operator.Autoscaling.Prometheus;

/// <summary>Bounds on one scrape, so a misbehaving pod cannot exhaust the operator's memory.</summary>
public sealed record ExpositionLimits
{
    public static readonly ExpositionLimits Default = new();

    /// <summary>Largest accepted body, in bytes (a pod exposes a few tens of kilobytes).</summary>
    public long MaxBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest accepted number of samples.</summary>
    public int MaxSamples { get; init; } = 100_000;
}
