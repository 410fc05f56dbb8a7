using Platform.InferencePod.Batching;
using Platform.InferencePod.Caching;
using Platform.InferencePod.Inference;
using Platform.InferencePod.RateLimiting;

namespace Platform.InferencePod.Pipeline;

/// <summary>
/// What a protocol adapter knows about one inference call besides the decoded request: when it
/// arrived, the transport's deadline, who sent it (for quotas), what the cache may do, and
/// whether it is the pod's own warm-up. The request itself carries the protocol's parameters
/// (priority, a shorter timeout).
/// </summary>
public sealed class CallContext
{
    public required string Model { get; init; }
    public string? Version { get; init; }
    /// <summary>When the call arrived (a <see cref="TimeProvider"/> timestamp): deadlines count from here.</summary>
    public required long ArrivalTimestamp { get; init; }
    /// <summary>A deadline the transport imposes (a gRPC call's), as a timestamp; <see cref="long.MaxValue"/> when none.</summary>
    public long TransportDeadlineTimestamp { get; init; } = long.MaxValue;
    /// <summary>The longest this kind of call waits for compute; null means the queue's default (<c>Queue:DefaultTimeoutMs</c>).</summary>
    public TimeSpan? MaxWait { get; init; }
    /// <summary>Who the call counts against for quotas; null when no quota applies.</summary>
    public string? ClientKey { get; init; }
    public CacheDirectives Cache { get; init; } = CacheDirectives.Default;
    /// <summary>The pod's own warm-up: admitted before ready, no quota, no cache, no metrics.</summary>
    public bool Warmup { get; init; }
    /// <summary>Fires when the client goes away; a queued request then leaves the queue unrun.</summary>
    public CancellationToken Aborted { get; init; }
    /// <summary>Told about each admission of the call (a job records it to report its position and to cancel it).</summary>
    public IAdmissionObserver? Observer { get; init; }

    /// <summary>When the request body finished arriving; set by the adapter's decode step.</summary>
    public long BodyReceivedTimestamp { get; set; }
    /// <summary>The quota decision, for the adapter's RateLimit headers; null when no quota applied.</summary>
    public RateLimitDecision? Quota { get; internal set; }
    /// <summary>Whether the call was admitted into the queue (and so counts in a drain).</summary>
    internal bool Admitted { get; set; }
    internal bool Recorded { get; set; }
}

/// <summary>Fills the (empty) request from the call's body; runs after the checks that need no body.</summary>
public delegate ValueTask DecodeRequest(InferenceRequest request, CancellationToken cancellationToken);

/// <summary>Told when a call's request (or one batch of a large job) enters the queue, and when its rows are computed.</summary>
public interface IAdmissionObserver
{
    void Admitted(WorkItem item);
    void Computed(int rows);
    /// <summary>Checked before each further batch of a large request: an error stops it with that error (a job cancelled between batches).</summary>
    InferenceError? StopReason { get; }
}
