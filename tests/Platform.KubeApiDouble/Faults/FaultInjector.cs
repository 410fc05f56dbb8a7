using Platform.KubeApiDouble.Storage;

namespace Platform.KubeApiDouble.Faults;

/// <summary>
/// Deterministic fault injection. Rules are checked in the order they were added: the first
/// matching delay rule delays a request, the first matching error rule answers it. Each rule
/// affects its number of requests and then stops.
/// </summary>
public sealed class FaultInjector
{
    private readonly List<FaultRule> _rules = [];
    private readonly Action<string?, bool> _dropWatches;
    private readonly TimeProvider _time;
    private readonly ChangeNotifier _notifier;

    internal FaultInjector(Action<string?, bool> dropWatches, TimeProvider time, ChangeNotifier notifier)
    {
        _dropWatches = dropWatches;
        _time = time;
        _notifier = notifier;
    }

    /// <summary>Answers matching requests with a <c>Status</c> of this code (409 Conflict, 410 Expired, 429, 500, 503, ...).</summary>
    public FaultRule Fail(RequestMatch match, int statusCode, int times = 1, string? message = null) =>
        Add(new FaultRule(match, times, null, () => ErrorFor(statusCode, message)));

    /// <summary>409 Conflict, as for a stale resource version.</summary>
    public FaultRule Conflict(RequestMatch match, int times = 1) => Fail(match, 409, times);

    /// <summary>429 Too Many Requests with a <c>Retry-After</c> header.</summary>
    public FaultRule TooManyRequests(RequestMatch match, int retryAfterSeconds = 1, int times = 1) =>
        Add(new FaultRule(match, times, null, () => ApiErrors.TooManyRequests(retryAfterSeconds)));

    /// <summary>500 Internal Error (or another 5xx code).</summary>
    public FaultRule ServerError(RequestMatch match, int statusCode = 500, int times = 1) => Fail(match, statusCode, times);

    /// <summary>Delays matching requests (measured on the server's <see cref="TimeProvider"/>); unlimited when <paramref name="times"/> is null.</summary>
    public FaultRule Delay(RequestMatch match, TimeSpan delay, int? times = null) =>
        Add(new FaultRule(match, times, delay, null));

    /// <summary>
    /// Makes the next watches of a resource fail. With 410 the watch is answered like a watch from
    /// a compacted resource version: 200 and a single <c>ERROR</c> event with a 410 <c>Status</c>.
    /// Other codes answer the request itself with that status.
    /// </summary>
    public FaultRule FailNextWatches(int count, string? resource = null, int statusCode = 410) =>
        Fail(new RequestMatch(Verb: "watch", Resource: resource), statusCode, count);

    /// <summary>Ends the open watches (of one resource, or all) now: cleanly, or by aborting the connection.</summary>
    public void DropWatches(string? resource = null, bool abortConnection = false) => _dropWatches(resource, abortConnection);

    public void Clear()
    {
        lock (_rules)
        {
            _rules.Clear();
        }
    }

    /// <summary>
    /// The delay to await (already running on the server's clock, so a test that sees the rule's
    /// hit can move the clock past it) and the error to answer with; either may be null.
    /// </summary>
    internal (Task? Delay, KubeApiException? Error) Decide(RequestInfo request, CancellationToken cancellation)
    {
        List<FaultRule> rules;
        lock (_rules)
        {
            rules = _rules.ToList();
        }

        Task? delay = null;
        var delayed = rules.FirstOrDefault(r => r.Delay is not null && r.TryTake(request, () => delay = Task.Delay(r.Delay.Value, _time, cancellation)));
        var failing = rules.FirstOrDefault(r => r.Error is not null && r.TryTake(request));
        if (delayed is not null || failing is not null)
        {
            _notifier.Notify();
        }

        return (delay, failing?.Error?.Invoke());
    }

    private FaultRule Add(FaultRule rule)
    {
        lock (_rules)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    private static KubeApiException ErrorFor(int statusCode, string? message) => statusCode switch
    {
        409 => new KubeApiException(409, "Conflict", message ?? "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again (injected)"),
        410 => ApiErrors.Expired(message ?? "too old resource version (injected)"),
        429 => ApiErrors.TooManyRequests(1),
        500 => ApiErrors.InternalError(message ?? "injected fault"),
        503 => ApiErrors.ServiceUnavailable(message ?? "the server is currently unable to handle the request (injected)"),
        404 => new KubeApiException(404, "NotFound", message ?? "not found (injected)"),
        _ => new KubeApiException(statusCode, statusCode >= 500 ? "InternalError" : "BadRequest", message ?? $"injected fault {statusCode}"),
    };
}
