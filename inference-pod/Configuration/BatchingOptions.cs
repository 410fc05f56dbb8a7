namespace Platform.InferencePod.Configuration;

/// <summary>Dynamic batching (section "Batching").</summary>
public sealed class BatchingOptions
{
    /// <summary>Most rows stacked into one model run.</summary>
    public int MaxBatchSize { get; set; } = 8;
    /// <summary>Longest time the first queued request waits for others to join its batch.</summary>
    public double MaxQueueDelayMs { get; set; } = 2;

    public TimeSpan MaxQueueDelay => TimeSpan.FromMilliseconds(MaxQueueDelayMs);
}
