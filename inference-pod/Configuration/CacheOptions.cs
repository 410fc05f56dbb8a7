namespace Platform.InferencePod.Configuration;

/// <summary>The response cache (section "Cache"): opt-in, in-process unless <see cref="Redis"/> is set.</summary>
public sealed class CacheOptions
{
    public bool Enabled { get; set; }
    /// <summary>How long an answer stays cached.</summary>
    public double TtlSeconds { get; set; } = 300;
    /// <summary>Bytes the in-process cache may hold; least recently used entries go first.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;
    /// <summary>Largest single answer that is cached.</summary>
    public long MaxEntryBytes { get; set; } = 1024 * 1024;
    /// <summary>StackExchange.Redis connection string ("host:port,password=..."); the replicas then share one cache.</summary>
    public string? Redis { get; set; }
    /// <summary>Longest a Redis call may take before the request goes on uncached.</summary>
    public int RedisTimeoutMs { get; set; } = 250;

    public TimeSpan Ttl => TimeSpan.FromSeconds(TtlSeconds);
    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);
}
