namespace Platform.Operator.Runtime;

/// <summary>
/// The controller's work queue, with client-go's guarantees: a key queued many times is
/// processed once (dirty set); a key is never handed to two workers at once (a key re-added
/// while processing waits until <see cref="Done"/>); failures back off per key,
/// exponentially, and never sooner than the server asked (a 429's Retry-After); delayed adds
/// keep each key's earliest due time.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = new();
    private readonly HashSet<TKey> _processing = new();
    private readonly Dictionary<TKey, int> _failures = new();
    private readonly Dictionary<TKey, (DateTimeOffset Due, ITimer Timer)> _delayed = new();
    private readonly Dictionary<TKey, DateTimeOffset> _heldUntil = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeProvider _time;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private bool _shutDown;

    public WorkQueue(TimeProvider time, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        _time = time;
        _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(5);
        _maxDelay = maxDelay ?? TimeSpan.FromMinutes(5);
    }

    /// <summary>Keys waiting to be processed (not counting delayed ones).</summary>
    public int Count
    {
        get { lock (_gate) return _queue.Count; }
    }

    /// <summary>Queues the key now, unless the server asked for it to be held back (then it comes when that time is up).</summary>
    public void Add(TKey key)
    {
        lock (_gate)
        {
            if (_shutDown) return;
            if (_heldUntil.TryGetValue(key, out var until))
            {
                if (_time.GetUtcNow() < until) return;
                _heldUntil.Remove(key);
            }
            if (!_dirty.Add(key)) return;
            if (_processing.Contains(key)) return;
            _queue.Enqueue(key);
        }
        _available.Release();
    }

    /// <summary>Adds the key after <paramref name="delay"/>; an earlier pending add of the same key wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay) => Schedule(key, delay, notBefore: false);

    private void Schedule(TKey key, TimeSpan delay, bool notBefore)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        var due = _time.GetUtcNow() + delay;
        lock (_gate)
        {
            if (_shutDown) return;
            if (!notBefore && _heldUntil.TryGetValue(key, out var held) && due < held) return;
            if (_delayed.TryGetValue(key, out var pending))
            {
                // A retry the server asked to hold back replaces an earlier pending add.
                if (pending.Due <= due && !notBefore) return;
                pending.Timer.Dispose();
            }
            var timer = _time.CreateTimer(_ => FireDelayed(key), null, delay, Timeout.InfiniteTimeSpan);
            _delayed[key] = (due, timer);
            if (notBefore) _heldUntil[key] = due;
        }
    }

    private void FireDelayed(TKey key)
    {
        lock (_gate)
        {
            if (_delayed.Remove(key, out var pending)) pending.Timer.Dispose();
            _heldUntil.Remove(key);
        }
        Add(key);
    }

    /// <summary>
    /// Re-adds a key that failed, after its exponential back-off or <paramref name="atLeast"/>,
    /// whichever is longer. With <paramref name="atLeast"/> set (a server's Retry-After), the key
    /// is held back until then: a pending earlier add is pushed back, and plain adds meanwhile
    /// (watch events) wait for that time too.
    /// </summary>
    public TimeSpan AddRateLimited(TKey key, TimeSpan atLeast = default)
    {
        TimeSpan delay;
        lock (_gate)
        {
            var failures = _failures.GetValueOrDefault(key);
            _failures[key] = failures + 1;
            var exponent = Math.Min(failures, 30);
            delay = TimeSpan.FromTicks((long)Math.Min(_baseDelay.Ticks * Math.Pow(2, exponent), _maxDelay.Ticks));
        }
        if (atLeast > delay) delay = atLeast;
        Schedule(key, delay, notBefore: atLeast > TimeSpan.Zero);
        return delay;
    }

    /// <summary>Clears the key's failure history (after a success).</summary>
    public void Forget(TKey key)
    {
        lock (_gate) _failures.Remove(key);
    }

    /// <summary>Waits for the next key; false once the queue is shut down and empty.</summary>
    public async Task<(bool Ok, TKey Key)> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken);
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    if (_shutDown) return (false, default!);
                    continue;
                }
                var key = _queue.Dequeue();
                _processing.Add(key);
                _dirty.Remove(key);
                return (true, key);
            }
        }
    }

    /// <summary>Marks the key processed; if it was added meanwhile it is queued again now.</summary>
    public void Done(TKey key)
    {
        lock (_gate)
        {
            _processing.Remove(key);
            if (!_dirty.Contains(key)) return;
            // Held back by the server: the pending timer queues it when the time is up.
            if (_heldUntil.TryGetValue(key, out var until) && _time.GetUtcNow() < until)
            {
                _dirty.Remove(key);
                return;
            }
            _queue.Enqueue(key);
        }
        _available.Release();
    }

    /// <summary>Stops handing out keys and releases every waiting worker; later calls do nothing.</summary>
    public void ShutDown()
    {
        lock (_gate)
        {
            if (_shutDown) return;
            _shutDown = true;
            foreach (var (_, pending) in _delayed) pending.Timer.Dispose();
            _delayed.Clear();
            _heldUntil.Clear();
        }
        _available.Release(int.MaxValue / 2);
    }

    public void Dispose()
    {
        ShutDown();
        _available.Dispose();
    }
}
