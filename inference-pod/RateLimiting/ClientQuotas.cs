using System.Threading.RateLimiting;

namespace Platform.InferencePod.RateLimiting;

/// <summary>What a client's request met: allowed or not, and the quota that decides it.</summary>
/// <param name="Window">The refusing quota; when allowed, the one with the fewest requests left.</param>
/// <param name="Remaining">Requests left in <paramref name="Window"/> after this one.</param>
/// <param name="RetryAfter">When refused: how long until every refusing quota admits a request again.</param>
public readonly record struct RateLimitDecision(bool Allowed, RateWindow Window, int Remaining, TimeSpan RetryAfter);

/// <summary>
/// Per-client quotas: for each client key, one token bucket per configured window (a burst of
/// the window's count, refilled evenly over the window), all of which must admit a request.
/// A refused request consumes nothing. The number of clients kept is bounded: a client idle
/// for the longest window has full buckets again and is dropped, and past the bound the least
/// recently seen client is forgotten, so many addresses cannot grow memory without limit.
/// </summary>
public sealed class ClientQuotas : IDisposable
{
    private readonly RateWindow[] _windows;
    private readonly int _maxClients;
    private readonly TimeProvider _time;
    private readonly long _idleTicks;
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Client>> _clients = new(StringComparer.Ordinal);
    // Most recently seen first.
    private readonly LinkedList<Client> _recent = new();

    public ClientQuotas(IReadOnlyList<RateWindow> windows, int maxClients, TimeProvider time)
    {
        if (windows.Count == 0) throw new ArgumentException("at least one quota is needed", nameof(windows));
        _windows = [.. windows.OrderBy(w => w.Window)];
        _maxClients = maxClients;
        _time = time;
        _idleTicks = (long)(_windows[^1].Window.TotalSeconds * time.TimestampFrequency);
    }

    public IReadOnlyList<RateWindow> Windows => _windows;

    /// <summary>Clients whose quota state is kept.</summary>
    public int Count
    {
        get { lock (_gate) return _clients.Count; }
    }

    public RateLimitDecision TryAcquire(string clientKey)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            ExpireIdle(now);
            var client = Touch(clientKey, now);
            return client.TryAcquire(_windows);
        }
    }

    private Client Touch(string key, long now)
    {
        if (_clients.TryGetValue(key, out var node))
        {
            _recent.Remove(node);
        }
        else
        {
            while (_clients.Count >= _maxClients) Forget(_recent.Last!);
            node = new LinkedListNode<Client>(new Client(key, _windows));
            _clients[key] = node;
        }
        _recent.AddFirst(node);
        node.Value.LastSeen = now;
        return node.Value;
    }

    private void ExpireIdle(long now)
    {
        while (_recent.Last is { } oldest && now - oldest.Value.LastSeen >= _idleTicks) Forget(oldest);
    }

    private void Forget(LinkedListNode<Client> node)
    {
        _recent.Remove(node);
        _clients.Remove(node.Value.Key);
        node.Value.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var node in _clients.Values) node.Value.Dispose();
            _clients.Clear();
            _recent.Clear();
        }
    }

    private sealed class Client : IDisposable
    {
        private readonly TokenBucketRateLimiter[] _buckets;

        public Client(string key, RateWindow[] windows)
        {
            Key = key;
            _buckets = windows.Select(Bucket).ToArray();
        }

        public string Key { get; }
        public long LastSeen { get; set; }

        /// <summary>All buckets must hold a token; only then is one taken from each.</summary>
        public RateLimitDecision TryAcquire(RateWindow[] windows)
        {
            var refused = -1;
            var retryAfter = TimeSpan.Zero;
            for (var i = 0; i < _buckets.Length; i++)
            {
                _buckets[i].TryReplenish();
                if (_buckets[i].GetStatistics()!.CurrentAvailablePermits >= 1) continue;
                // An empty bucket refuses without taking anything; its lease says when a token returns.
                using var lease = _buckets[i].AttemptAcquire();
                var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : windows[i].Window / windows[i].Permits;
                if (refused < 0 || wait >= retryAfter)
                {
                    refused = i;
                    retryAfter = wait;
                }
            }
            if (refused >= 0) return new RateLimitDecision(false, windows[refused], 0, retryAfter);

            var tightest = 0;
            var tightestRemaining = int.MaxValue;
            for (var i = 0; i < _buckets.Length; i++)
            {
                using var lease = _buckets[i].AttemptAcquire();
                var remaining = (int)_buckets[i].GetStatistics()!.CurrentAvailablePermits;
                if (remaining <= tightestRemaining)
                {
                    tightest = i;
                    tightestRemaining = remaining;
                }
            }
            return new RateLimitDecision(true, windows[tightest], tightestRemaining, TimeSpan.Zero);
        }

        public void Dispose()
        {
            foreach (var bucket in _buckets) bucket.Dispose();
        }

        private static TokenBucketRateLimiter Bucket(RateWindow window)
        {
            // Refill one token per window/permits; for very high rates several per period, so the
            // period stays well above the millisecond clock the limiter measures with.
            var tokensPerPeriod = (int)Math.Max(1, Math.Ceiling(window.Permits * 0.01 / window.Window.TotalSeconds));
            return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = window.Permits,
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = window.Window * tokensPerPeriod / window.Permits,
                // Refilled on use from the time elapsed, not by a timer per client.
                AutoReplenishment = false,
                QueueLimit = 0,
            });
        }
    }
}
