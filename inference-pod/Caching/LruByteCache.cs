namespace Platform.InferencePod.Caching;

/// <summary>
/// An in-process store with a byte budget and a time to live: a hit moves an entry to the
/// front, an insert evicts from the back (least recently used) until the budget holds, an
/// expired entry is dropped when met. Each entry is charged its bytes plus a fixed overhead.
/// </summary>
public sealed class LruByteCache : ICacheStore
{
    /// <summary>What an entry costs beyond its bytes (key, list node, dictionary slot), roughly.</summary>
    public const int EntryOverheadBytes = 128;

    private readonly Dictionary<CacheKey, LinkedListNode<Entry>> _entries = new();
    private readonly LinkedList<Entry> _order = new();
    private readonly object _gate = new();
    private readonly long _maxBytes;
    private readonly long _ttlTicks;
    private readonly TimeProvider _time;
    private long _bytes;

    public LruByteCache(long maxBytes, TimeSpan ttl, TimeProvider time)
    {
        _maxBytes = maxBytes;
        _time = time;
        _ttlTicks = (long)(ttl.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Bytes charged for the entries held now.</summary>
    public long Bytes
    {
        get { lock (_gate) return _bytes; }
    }

    public int Count
    {
        get { lock (_gate) return _entries.Count; }
    }

    public bool TryGet(CacheKey key, out byte[] value)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                if (node.Value.ExpiresAt > now)
                {
                    _order.Remove(node);
                    _order.AddFirst(node);
                    value = node.Value.Value;
                    return true;
                }
                RemoveLocked(node);
            }
        }
        value = [];
        return false;
    }

    /// <summary>Stores or replaces the entry; one larger than the whole budget is not stored.</summary>
    public void Set(CacheKey key, byte[] value)
    {
        var cost = Cost(value);
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var existing)) RemoveLocked(existing);
            if (cost > _maxBytes) return;
            while (_bytes + cost > _maxBytes && _order.Last is { } last) RemoveLocked(last);
            var node = _order.AddFirst(new Entry(key, value, now + _ttlTicks));
            _entries[key] = node;
            _bytes += cost;
            // Expired entries at the cold end go now rather than when the budget runs out.
            while (_order.Last is { } tail && tail.Value.ExpiresAt <= now) RemoveLocked(tail);
        }
    }

    ValueTask<byte[]?> ICacheStore.GetAsync(CacheKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryGet(key, out var value) ? value : null);

    ValueTask ICacheStore.SetAsync(CacheKey key, byte[] value, CancellationToken cancellationToken)
    {
        Set(key, value);
        return ValueTask.CompletedTask;
    }

    private static long Cost(byte[] value) => value.LongLength + EntryOverheadBytes;

    private void RemoveLocked(LinkedListNode<Entry> node)
    {
        _order.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= Cost(node.Value.Value);
    }

    private sealed record Entry(CacheKey Key, byte[] Value, long ExpiresAt);
}
