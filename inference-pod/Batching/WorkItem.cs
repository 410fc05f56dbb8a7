using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Batching;

/// <summary>
/// An admitted request waiting for, or in, a model run. Its state moves once from Queued to
/// either Claimed (a batch took it) or Cancelled (deadline or disconnect), so a request is
/// never both computed and answered as dropped.
/// </summary>
public sealed class WorkItem
{
    private const int Queued = 0, Claimed = 1, Cancelled = 2;
    private int _state;
    private readonly TaskCompletionSource<OutputTensor[]> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal WorkItem(InferenceRequest request, int priorityLevel, long enqueuedTimestamp, long deadlineTimestamp, bool warmup = false)
    {
        Request = request;
        Warmup = warmup;
        PriorityLevel = priorityLevel;
        EnqueuedTimestamp = enqueuedTimestamp;
        DeadlineTimestamp = deadlineTimestamp;
        Node = new LinkedListNode<WorkItem>(this);
    }

    public InferenceRequest Request { get; }
    public int Rows => Request.Rows;
    /// <summary>0-based queue level; 0 is served first.</summary>
    public int PriorityLevel { get; }
    public long EnqueuedTimestamp { get; }
    public long DeadlineTimestamp { get; }
    /// <summary>Set when a batch claims the item: the end of its queue wait.</summary>
    public long StartedTimestamp { get; set; }
    /// <summary>The pod's own warm-up traffic: computed like any request, kept out of the serving metrics.</summary>
    public bool Warmup { get; }
    internal LinkedListNode<WorkItem> Node { get; }
    internal AdmissionQueue? Queue { get; set; }

    /// <summary>
    /// Requests ahead of this one in the queue (every one on a higher level and those before it
    /// on its own); -1 once it has left the queue (taken by a batch or cancelled).
    /// </summary>
    public int QueuePosition => Queue?.PositionOf(this) ?? -1;

    /// <summary>Takes the request out of the queue unrun and fails it with <paramref name="reason"/>; false when compute already began.</summary>
    public bool TryCancel(Exception reason)
    {
        if (!TryMarkCancelled()) return false;
        Queue?.Remove(this);
        Fail(reason);
        return true;
    }

    public Task<OutputTensor[]> Completion => _completion.Task;
    public bool IsCancelled => Volatile.Read(ref _state) == Cancelled;

    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;
    internal bool TryMarkCancelled() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;

    public void Complete(OutputTensor[] outputs)
    {
        if (!_completion.TrySetResult(outputs))
        {
            foreach (var output in outputs) output.Release();
        }
    }

    public void Fail(Exception error) => _completion.TrySetException(error);

    /// <summary>True when <paramref name="other"/> can share a model run: same shape apart from axis 0.</summary>
    public bool IsCompatibleWith(WorkItem other)
    {
        var a = Request.Inputs;
        var b = other.Request.Inputs;
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
        {
            var sa = a[i].Shape;
            var sb = b[i].Shape;
            if (sa.Length != sb.Length) return false;
            for (var d = 1; d < sa.Length; d++)
            {
                if (sa[d] != sb[d]) return false;
            }
        }
        return true;
    }
}
