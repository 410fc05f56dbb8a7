using Platform.InferencePod.Batching;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Pipeline;

namespace Platform.InferencePod.Jobs;

/// <summary>
/// A job this replica accepted: its queue entry while it waits or computes, then its outcome.
/// The outcome is set once, as one immutable value, so readers on other threads see a whole one.
/// The pipeline tells it of each admission and of the rows computed.
/// </summary>
public sealed class Job(string id, DateTimeOffset createdAt) : IAdmissionObserver
{
    /// <summary>The error a job is dropped from the queue with when a client cancels it.</summary>
    public static readonly InferenceError CancelledByClient = new(StatusCodes.Status409Conflict, "the job was cancelled before it ran");

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _admitted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Outcome? _outcome;
    private int _completedRows;
    private int _cancelRequested;

    public string Id { get; } = id;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    /// <summary>The queue entry of the chunk waiting or computing now; null for a job answered from the cache.</summary>
    public WorkItem? Item { get; private set; }
    /// <summary>Completes when the job's first batch enters the queue.</summary>
    public Task FirstAdmitted => _admitted.Task;
    /// <summary>Rows along the batch axis in the whole job.</summary>
    public int TotalRows { get; set; }
    /// <summary>How many requests of at most one batch the job runs as, one after another.</summary>
    public int Chunks { get; set; } = 1;
    /// <summary>Rows whose outputs are computed: the job's progress.</summary>
    public int CompletedRows => Volatile.Read(ref _completedRows);
    /// <summary>Set when a client cancels a job between chunks: no further chunk is admitted.</summary>
    public bool CancelRequested => Volatile.Read(ref _cancelRequested) != 0;
    public Outcome? Finished => Volatile.Read(ref _outcome);
    /// <summary>Completes once the outcome is recorded.</summary>
    public Task Done => _done.Task;
    /// <summary>When the job finished, as a <see cref="TimeProvider"/> timestamp (for the time to live).</summary>
    public long FinishedTimestamp { get; private set; }

    void IAdmissionObserver.Admitted(WorkItem item)
    {
        Item = item;
        _admitted.TrySetResult();
    }

    void IAdmissionObserver.Computed(int rows) => Interlocked.Add(ref _completedRows, rows);

    InferenceError? IAdmissionObserver.StopReason => CancelRequested ? CancelledByClient : null;

    public void RequestCancel() => Volatile.Write(ref _cancelRequested, 1);

    /// <summary>Records the outcome; false when the job had already finished.</summary>
    public bool TryFinish(Outcome outcome, long timestamp)
    {
        if (Interlocked.CompareExchange(ref _outcome, outcome, null) is not null) return false;
        FinishedTimestamp = timestamp;
        _done.TrySetResult();
        return true;
    }

    /// <summary>How a job ended: its status, the JSON inference response when it succeeded, or the error.</summary>
    public sealed record Outcome(JobStatus Status, DateTimeOffset FinishedAt, byte[]? Result, int ErrorCode, string? ErrorMessage);
}
