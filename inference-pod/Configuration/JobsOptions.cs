namespace Platform.InferencePod.Configuration;

/// <summary>Asynchronous inference jobs (section "Jobs").</summary>
public sealed class JobsOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>Jobs this replica keeps (waiting, computing and finished); the oldest finished go first, beyond it 429.</summary>
    public int MaxJobs { get; set; } = 1000;
    /// <summary>Most rows (along the batch axis) one job may carry; beyond the batch size it runs one batch at a time, with progress.</summary>
    public int MaxRows { get; set; } = 1024;
    /// <summary>How long a finished job's status and result are kept.</summary>
    public double ResultTtlSeconds { get; set; } = 600;
    /// <summary>Longest a job may wait in the admission queue before it fails unrun; a request's timeout may shorten it.</summary>
    public double QueueTimeoutSeconds { get; set; } = 300;
    /// <summary>Largest result (the JSON inference response) a job keeps; a larger one fails the job. At most MaxJobs × this is held.</summary>
    public long MaxResultBytes { get; set; } = 1024 * 1024;
    /// <summary>StackExchange.Redis connection string; job status and results are then readable from every replica.</summary>
    public string? Redis { get; set; }
    /// <summary>Longest a Redis call may take before the replica answers from what it holds itself.</summary>
    public int RedisTimeoutMs { get; set; } = 250;

    public TimeSpan ResultTtl => TimeSpan.FromSeconds(ResultTtlSeconds);
    public TimeSpan QueueTimeout => TimeSpan.FromSeconds(QueueTimeoutSeconds);
    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);
}
