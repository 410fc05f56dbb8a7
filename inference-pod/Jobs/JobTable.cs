namespace Platform.InferencePod.Jobs;

/// <summary>
/// The jobs this replica holds, bounded: at most <c>capacity</c> at once, finished ones kept for
/// the time to live. When full, the oldest finished job makes room; when every held job is still
/// waiting or computing, a new one is refused.
/// </summary>
public sealed class JobTable(int capacity, TimeSpan resultTtl, TimeProvider time)
{
    private readonly Dictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    // Finished jobs in the order they finished, which with one time to live is the order they expire.
    private readonly Queue<Job> _finished = new();
    private readonly long _ttlTicks = (long)(resultTtl.TotalSeconds * time.TimestampFrequency);

    public int Count
    {
        get { lock (_jobs) return _jobs.Count; }
    }

    /// <summary>Holds the job; false when the table is full of unfinished jobs.</summary>
    public bool TryAdd(Job job)
    {
        lock (_jobs)
        {
            Sweep();
            if (_jobs.Count >= capacity && _finished.TryDequeue(out var oldest)) _jobs.Remove(oldest.Id);
            if (_jobs.Count >= capacity) return false;
            _jobs.Add(job.Id, job);
            return true;
        }
    }

    /// <summary>Starts the job's time to live; call once, after it finished.</summary>
    public void MarkFinished(Job job)
    {
        lock (_jobs)
        {
            if (_jobs.ContainsKey(job.Id)) _finished.Enqueue(job);
        }
    }

    public bool TryGet(string id, out Job job)
    {
        lock (_jobs)
        {
            Sweep();
            return _jobs.TryGetValue(id, out job!);
        }
    }

    /// <summary>Forgets a job that was never admitted.</summary>
    public void Remove(Job job)
    {
        lock (_jobs) _jobs.Remove(job.Id);
    }

    private void Sweep()
    {
        var now = time.GetTimestamp();
        while (_finished.TryPeek(out var job) && job.FinishedTimestamp + _ttlTicks <= now)
        {
            _finished.Dequeue();
            _jobs.Remove(job.Id);
        }
    }
}
