using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Model;
using Prometheus;

namespace Platform.InferencePod.Caching;

/// <summary>Registers the response cache: in-process, in Redis, or disabled (then requests pass straight to the scheduler).</summary>
public static class CachingServices
{
    public static IServiceCollection AddResponseCache(this IServiceCollection services, CacheOptions options)
    {
        services.TryAddSingleton<RedisConnections>();
        services.AddSingleton(provider =>
        {
            var model = provider.GetRequiredService<ModelMetadata>();
            var logger = provider.GetRequiredService<ILogger<ResponseCache>>();
            if (!options.Enabled) return new ResponseCache(null, options, model, null, logger);
            var registry = provider.GetRequiredService<CollectorRegistry>();
            var time = provider.GetRequiredService<TimeProvider>();
            var metrics = new CacheMetrics(registry, model.Name);
            ICacheStore store;
            if (options.UsesRedis)
            {
                var timeout = TimeSpan.FromMilliseconds(options.RedisTimeoutMs);
                var connection = provider.GetRequiredService<RedisConnections>().Get(options.Redis!, timeout);
                store = new RedisCacheStore(connection.GetDatabase(), $"platform:cache:{model.Name}:{model.Version}:", options.Ttl, timeout, time);
            }
            else
            {
                var memory = new LruByteCache(options.MaxBytes, options.Ttl, time);
                registry.AddBeforeCollectCallback(() => metrics.Bytes.Set(memory.Bytes));
                store = memory;
            }
            return new ResponseCache(store, options, model, metrics, logger);
        });
        return services;
    }
}
