namespace Platform.InferencePod.Caching;

/// <summary>Where cached answers live: this process, or Redis shared by the replicas.</summary>
public interface ICacheStore
{
    /// <summary>The stored bytes, or null when absent or expired. Throws when the store cannot answer.</summary>
    ValueTask<byte[]?> GetAsync(CacheKey key, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="value"/> for the configured time to live. Throws when the store cannot take it.</summary>
    ValueTask SetAsync(CacheKey key, byte[] value, CancellationToken cancellationToken);
}
