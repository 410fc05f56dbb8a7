using System.Collections.Concurrent;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Platform.Operator.Runtime;

/// <summary>How an informer lists and watches one kind; thin wrappers over KubernetesClient calls.</summary>
public interface IResourceSource<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken);
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken);
}

/// <summary>
/// A list+watch cache of one kind. Lists once, then watches from the list's resourceVersion,
/// resuming from the last seen version when a watch ends or drops (with back-off), and
/// re-listing when the server says the version is too old (410 Gone). Every add, update and
/// delete is reported to <see cref="Changed"/>, including those a re-list discovers.
/// </summary>
public sealed class Informer<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IResourceSource<T> _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _kind;
    private readonly ConcurrentDictionary<string, T> _cache = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<T, T> _transform;

    /// <param name="transform">Trims each object before it is cached and reported (keep what the reconciler reads, as controller-runtime's cache transforms do); default: none.</param>
    public Informer(string kind, IResourceSource<T> source, TimeProvider time, ILogger logger, Func<T, T>? transform = null)
    {
        _kind = kind;
        _source = source;
        _time = time;
        _logger = logger;
        _transform = transform ?? (item => item);
    }

    /// <summary>Raised with the object's latest state on every add, update and delete.</summary>
    public event Action<T>? Changed;

    /// <summary>Completes after the first successful list.</summary>
    public Task Synced => _synced.Task;

    public T? Get(string key) => _cache.GetValueOrDefault(key);
    public IReadOnlyCollection<T> Items => (IReadOnlyCollection<T>)_cache.Values;

    public static string KeyOf(T item) => ObjectKey.Of(item.Metadata);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var (items, listVersion) = await _source.ListAsync(cancellationToken);
                    Replace(items);
                    resourceVersion = listVersion;
                    _synced.TrySetResult();
                }
                var gone = false;
                Exception? watchError = null;
                await foreach (var (type, item) in _source.WatchAsync(resourceVersion, e =>
                {
                    if (e is KubernetesException { Status.Code: 410 }) gone = true;
                    else watchError = e;
                }, cancellationToken))
                {
                    resourceVersion = item.Metadata?.ResourceVersion ?? resourceVersion;
                    Apply(type, item);
                }
                if (gone)
                {
                    _logger.LogInformation("{Kind} watch: resourceVersion {Version} is too old; re-listing", _kind, resourceVersion);
                    resourceVersion = null;
                    continue;
                }
                if (watchError is not null) throw watchError;
                backoff = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Gone)
            {
                resourceVersion = null;
            }
            catch (Exception e)
            {
                // The API server ends watches routinely (timeouts, restarts, load balancers): a
                // watch whose connection ends is resumed quietly; a failed list is worth a warning.
                var routine = resourceVersion is not null && IsConnectionEnd(e);
                _logger.Log(routine ? LogLevel.Debug : LogLevel.Warning, "{Kind} list/watch failed ({Error}); retrying in {Delay} ms", _kind, e.Message, backoff.TotalMilliseconds);
                try
                {
                    await Task.Delay(backoff, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private static bool IsConnectionEnd(Exception e) =>
        e is IOException or HttpRequestException or HttpIOException || (e.InnerException is { } inner && IsConnectionEnd(inner));

    private void Apply(WatchEventType type, T item)
    {
        if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted) item = _transform(item);
        switch (type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                _cache[KeyOf(item)] = item;
                Changed?.Invoke(item);
                break;
            case WatchEventType.Deleted:
                _cache.TryRemove(KeyOf(item), out _);
                Changed?.Invoke(item);
                break;
        }
    }

    /// <summary>Replaces the cache with a fresh list, reporting what appeared, changed or vanished.</summary>
    private void Replace(IReadOnlyList<T> items)
    {
        var seen = new HashSet<string>();
        foreach (var listed in items)
        {
            var item = _transform(listed);
            var key = KeyOf(item);
            seen.Add(key);
            var previous = _cache.GetValueOrDefault(key);
            _cache[key] = item;
            if (previous?.Metadata.ResourceVersion != item.Metadata.ResourceVersion) Changed?.Invoke(item);
        }
        foreach (var key in _cache.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            if (_cache.TryRemove(key, out var gone)) Changed?.Invoke(gone);
        }
    }
}
