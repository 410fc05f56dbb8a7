using StackExchange.Redis;

namespace Platform.InferencePod.Jobs;

/// <summary>Job documents in Redis under <c>platform:jobs:{id}</c>, each expiring with its time to live.</summary>
public sealed class RedisJobStore(IDatabase database, TimeSpan timeout, TimeProvider time) : IJobStore
{
    private const string Prefix = "platform:jobs:";

    public Task SaveAsync(string id, byte[] document, TimeSpan ttl) =>
        database.StringSetAsync(Prefix + id, document, ttl, When.Always).WaitAsync(timeout, time);

    public async Task<byte[]?> GetAsync(string id)
    {
        var value = await database.StringGetAsync(Prefix + id).WaitAsync(timeout, time);
        return value.IsNull ? null : (byte[])value!;
    }
}
