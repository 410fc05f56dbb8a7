using Platform.InferencePod.Batching;
using Platform.InferencePod.Model;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Caching;

/// <summary>
/// A request's outputs from the cache when it holds them (no queue slot taken), otherwise
/// through the scheduler, stored for the next identical request before they are answered.
/// </summary>
public sealed class CachedInference(ScheduledRun run, ResponseCache cache, ModelMetadata model)
{
    public ResponseCache Cache => cache;

    /// <summary>The request's outputs (pooled, one per model output): the caller releases them.</summary>
    public async Task<OutputTensor[]> RunAsync(InferenceRequest request, long arrivalTimestamp, CacheDirectives directives, CancellationToken aborted)
    {
        if (!cache.Enabled) return await run.RunAsync(request, arrivalTimestamp, aborted);
        var key = CacheKey.For(model, request);
        if (!directives.Lookup) cache.CountBypass();
        else if (await cache.TryGetAsync(key, request, aborted) is { } cached) return cached;
        var outputs = await run.RunAsync(request, arrivalTimestamp, aborted);
        if (directives.Store)
        {
            try
            {
                await cache.StoreAsync(key, request, outputs, aborted);
            }
            catch
            {
                foreach (var output in outputs) output.Release();
                throw;
            }
        }
        return outputs;
    }
}
