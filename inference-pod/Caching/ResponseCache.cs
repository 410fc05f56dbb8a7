using Platform.InferencePod.Configuration;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Caching;

/// <summary>
/// Looks answers up and stores them, counting hits, misses and errors. A store that fails or
/// holds something unreadable never fails the request: the lookup counts as an error and the
/// request is computed as if uncached.
/// </summary>
public sealed class ResponseCache
{
    private readonly ICacheStore? _store;
    private readonly CacheOptions _options;
    private readonly ModelMetadata _model;
    private readonly CacheMetrics? _metrics;
    private readonly ILogger<ResponseCache> _logger;
    private int _failing;

    public ResponseCache(ICacheStore? store, CacheOptions options, ModelMetadata model, CacheMetrics? metrics, ILogger<ResponseCache> logger)
    {
        _store = store;
        _options = options;
        _model = model;
        _metrics = metrics;
        _logger = logger;
    }

    public bool Enabled => _store is not null;

    /// <summary>The cached outputs of the request (pooled, one per model output), or null on a miss or failure.</summary>
    public async Task<OutputTensor[]?> TryGetAsync(CacheKey key, InferenceRequest request, CancellationToken cancellationToken)
    {
        if (_store is null) return null;
        byte[]? bytes;
        try
        {
            bytes = await _store.GetAsync(key, cancellationToken);
            Recovered();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Failed(e, "lookup");
            return null;
        }
        if (bytes is null)
        {
            _metrics!.Misses.Inc();
            return null;
        }
        if (!CachedOutputs.TryDecode(bytes, _model, request, out var outputs))
        {
            _metrics!.Errors.Inc();
            _logger.LogWarning("Cache entry {Key} is not a valid answer for model '{Model}'; computing the request", key, _model.Name);
            return null;
        }
        _metrics!.Hits.Inc();
        return outputs;
    }

    /// <summary>Stores the request's selected outputs unless they exceed the entry limit.</summary>
    public async Task StoreAsync(CacheKey key, InferenceRequest request, OutputTensor[] outputs, CancellationToken cancellationToken)
    {
        if (_store is null) return;
        var bytes = CachedOutputs.Encode(request, outputs);
        if (bytes.Length > _options.MaxEntryBytes) return;
        try
        {
            await _store.SetAsync(key, bytes, cancellationToken);
            Recovered();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Failed(e, "store");
        }
    }

    public void CountBypass() => _metrics?.Bypasses.Inc();

    private void Failed(Exception e, string operation)
    {
        _metrics!.Errors.Inc();
        // One warning when the store starts failing, not one per request while it is down.
        if (Interlocked.Exchange(ref _failing, 1) == 0)
            _logger.LogWarning("Response cache {Operation} failed, serving uncached until it answers again: {Error}", operation, e.Message);
    }

    private void Recovered()
    {
        if (Volatile.Read(ref _failing) == 1 && Interlocked.Exchange(ref _failing, 0) == 1)
            _logger.LogInformation("Response cache answers again");
    }
}
