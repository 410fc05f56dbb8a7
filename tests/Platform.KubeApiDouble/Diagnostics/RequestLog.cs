using Platform.KubeApiDouble.Storage;

namespace Platform.KubeApiDouble.Diagnostics;

/// <summary>
/// Every request the server answered, in order. Tests and benchmarks count API traffic with it
/// (for example: no writes in a steady state) and can mark a point to count from.
/// </summary>
public sealed class RequestLog
{
    private readonly List<RecordedRequest> _requests = [];
    private readonly ChangeNotifier _notifier;
    private long _sequence;

    internal RequestLog(ChangeNotifier notifier) => _notifier = notifier;

    /// <summary>A copy of every recorded request.</summary>
    public IReadOnlyList<RecordedRequest> All
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>The sequence number of the last recorded request; pass it to <see cref="Since"/> later.</summary>
    public long Mark()
    {
        lock (_requests)
        {
            return _sequence;
        }
    }

    /// <summary>The requests recorded after a <see cref="Mark"/>.</summary>
    public IReadOnlyList<RecordedRequest> Since(long mark)
    {
        lock (_requests)
        {
            return _requests.Where(r => r.Sequence > mark).ToList();
        }
    }

    public int Count(Func<RecordedRequest, bool>? predicate = null)
    {
        lock (_requests)
        {
            return predicate is null ? _requests.Count : _requests.Count(predicate);
        }
    }

    /// <summary>Requests with a verb, optionally for one resource (plural name).</summary>
    public int Count(string verb, string? resource = null) =>
        Count(r => r.Verb == verb && (resource is null || r.Resource == resource));

    /// <summary>Writes (create, update, patch, delete, deletecollection), optionally for one resource.</summary>
    public int CountWrites(string? resource = null) =>
        Count(r => r.IsWrite && (resource is null || r.Resource == resource));

    public void Clear()
    {
        lock (_requests)
        {
            _requests.Clear();
        }
    }

    internal void Record(Func<long, RecordedRequest> create)
    {
        lock (_requests)
        {
            _requests.Add(create(++_sequence));
        }

        _notifier.Notify();
    }
}
