namespace Platform.KubeApiDouble.Faults;

/// <summary>
/// One injected fault: for matching requests, wait <see cref="Delay"/> and/or answer with an error
/// instead of serving them, for a limited number of requests (or without limit).
/// </summary>
public sealed class FaultRule
{
    private readonly object _gate = new();
    private int? _remaining;
    private int _hits;

    internal FaultRule(RequestMatch match, int? times, TimeSpan? delay, Func<KubeApiException>? error)
    {
        Match = match;
        _remaining = times;
        Delay = delay;
        Error = error;
    }

    public RequestMatch Match { get; }

    public TimeSpan? Delay { get; }

    /// <summary>How many requests this fault has affected.</summary>
    public int Hits
    {
        get
        {
            lock (_gate)
            {
                return _hits;
            }
        }
    }

    /// <summary>How many more requests it will affect; null when unlimited.</summary>
    public int? Remaining
    {
        get
        {
            lock (_gate)
            {
                return _remaining;
            }
        }
    }

    internal Func<KubeApiException>? Error { get; }

    /// <summary>
    /// Counts one use when the rule matches and is not used up. <paramref name="onTaken"/> runs
    /// before the use is counted, so whoever sees <see cref="Hits"/> move also sees its effect started.
    /// </summary>
    internal bool TryTake(RequestInfo request, Action? onTaken = null)
    {
        if (!Match.Matches(request))
        {
            return false;
        }

        lock (_gate)
        {
            if (_remaining is <= 0)
            {
                return false;
            }

            onTaken?.Invoke();
            _remaining--;
            _hits++;
            return true;
        }
    }
}
