using StackExchange.Redis;

namespace Platform.InferencePod.Caching;

/// <summary>Cached answers in Redis, shared by every replica, each key expiring after the time to live.</summary>
public sealed class RedisCacheStore(IDatabase database, string keyPrefix, TimeSpan ttl, TimeSpan timeout, TimeProvider time) : ICacheStore
{
    public async ValueTask<byte[]?> GetAsync(CacheKey key, CancellationToken cancellationToken)
    {
        var value = await database.StringGetAsync(KeyOf(key)).WaitAsync(timeout, time, cancellationToken);
        return value.IsNull ? null : (byte[])value!;
    }

    public async ValueTask SetAsync(CacheKey key, byte[] value, CancellationToken cancellationToken) =>
        await database.StringSetAsync(KeyOf(key), value, ttl, When.Always).WaitAsync(timeout, time, cancellationToken);

    private RedisKey KeyOf(CacheKey key) => new(keyPrefix + key.ToHex());
}
