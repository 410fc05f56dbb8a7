namespace Platform.InferencePod.Batching;

public enum AdmitResult { Admitted, Full, Closed }

/// <summary>
/// The bounded queue every request passes through: one FIFO per priority level, a capacity
/// checked at admission (never an unbounded pile-up), removal of cancelled and expired
/// requests before they can join a batch, and a signal that wakes idle batch loops.
/// </summary>
public sealed class AdmissionQueue
{
    private readonly LinkedList<WorkItem>[] _levels;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly int _consumers;
    private int _count;
    private int _rows;
    private bool _closed;
    private TaskCompletionSource? _room;

    public AdmissionQueue(int capacity, int priorityLevels, int consumers)
    {
        Capacity = capacity;
        _consumers = consumers;
        _levels = new LinkedList<WorkItem>[priorityLevels];
        for (var i = 0; i < priorityLevels; i++) _levels[i] = new LinkedList<WorkItem>();
    }

    public int Capacity { get; }
    public int PriorityLevels => _levels.Length;
    public int Count => Volatile.Read(ref _count);
    public int QueuedRows => Volatile.Read(ref _rows);

    public bool IsClosed
    {
        get { lock (_gate) return _closed; }
    }

    public AdmitResult TryEnqueue(WorkItem item)
    {
        lock (_gate)
        {
            if (_closed) return AdmitResult.Closed;
            if (_count >= Capacity) return AdmitResult.Full;
            _levels[item.PriorityLevel].AddLast(item.Node);
            item.Queue = this;
            _count++;
            _rows += item.Rows;
        }
        // Wake one idle loop; a loop that is computing finds the item when it comes back.
        if (_signal.CurrentCount < _consumers) _signal.Release();
        return AdmitResult.Admitted;
    }

    /// <summary>Removes a cancelled item; false when a batch already took it out.</summary>
    public bool Remove(WorkItem item)
    {
        lock (_gate) return RemoveLocked(item);
    }

    /// <summary>
    /// Requests ahead of <paramref name="item"/>: every one on a higher level and those before it
    /// on its own; -1 once it has left the queue (taken by a batch or cancelled).
    /// </summary>
    public int PositionOf(WorkItem item)
    {
        lock (_gate)
        {
            if (item.Node.List is null) return -1;
            var ahead = 0;
            for (var level = 0; level < item.PriorityLevel; level++) ahead += _levels[level].Count;
            for (var node = item.Node.Previous; node is not null; node = node.Previous) ahead++;
            return ahead;
        }
    }

    /// <summary>Stops admission; loops finish what is queued and then see <see cref="IsDrained"/>.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _room?.TrySetResult();
            _room = null;
        }
        _signal.Release(_consumers);
    }

    public bool IsDrained
    {
        get { lock (_gate) return _closed && _count == 0; }
    }

    /// <summary>Blocks an idle loop until an item arrives, the queue closes, or the timeout passes.</summary>
    public void WaitForWork(TimeSpan timeout) =>
        // Whole milliseconds, rounded up: a shorter wait would spin instead of sleeping.
        _signal.Wait(Math.Max(0, (int)Math.Ceiling(timeout.TotalMilliseconds)));

    /// <summary>
    /// Scans for the head request (highest level, oldest) and the compatible requests behind it,
    /// up to <paramref name="maxRows"/>. Expired requests met on the way are cancelled, removed
    /// and added to <paramref name="expired"/>. With <paramref name="take"/>, the candidates are
    /// claimed, removed and added to it; otherwise they stay queued.
    /// </summary>
    public BatchCandidate? Collect(long now, int maxRows, List<WorkItem>? take, List<WorkItem> expired)
    {
        lock (_gate)
        {
            WorkItem? head = null;
            var rows = 0;
            var earliestDeadline = long.MaxValue;
            foreach (var level in _levels)
            {
                var node = level.First;
                while (node is not null && rows < maxRows)
                {
                    var next = node.Next;
                    var item = node.Value;
                    if (item.IsCancelled)
                    {
                        RemoveLocked(item);
                    }
                    else if (item.DeadlineTimestamp <= now)
                    {
                        if (item.TryMarkCancelled()) expired.Add(item);
                        RemoveLocked(item);
                    }
                    else if ((head is null || head.IsCompatibleWith(item)) && rows + item.Rows <= maxRows)
                    {
                        if (take is not null)
                        {
                            if (!item.TryClaim())
                            {
                                RemoveLocked(item);
                                node = next;
                                continue;
                            }
                            item.StartedTimestamp = now;
                            take.Add(item);
                            RemoveLocked(item);
                        }
                        head ??= item;
                        rows += item.Rows;
                        earliestDeadline = Math.Min(earliestDeadline, item.DeadlineTimestamp);
                    }
                    node = next;
                }
            }
            return head is null ? null : new BatchCandidate(rows, head.EnqueuedTimestamp, earliestDeadline);
        }
    }

    /// <summary>
    /// Completes when the queue has room again (or closes): for callers that wait for a slot
    /// instead of being refused, such as a job's next batch. No polling: the next removal signals it.
    /// </summary>
    public Task WhenRoomAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_closed || _count < Capacity) return Task.CompletedTask;
            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _room.Task.WaitAsync(cancellationToken);
        }
    }

    private bool RemoveLocked(WorkItem item)
    {
        if (item.Node.List is null) return false;
        item.Node.List.Remove(item.Node);
        _count--;
        _rows -= item.Rows;
        if (_room is not null)
        {
            _room.TrySetResult();
            _room = null;
        }
        return true;
    }
}
