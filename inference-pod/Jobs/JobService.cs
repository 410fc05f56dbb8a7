using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Caching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Metrics;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Jobs;

/// <summary>
/// Asynchronous inference: a job is admitted into the same queue as every other request (same
/// capacity, priorities and batching, its own longer deadline) and answered later. This replica
/// holds its jobs in a bounded table; with a shared store (Redis) it also writes each job's
/// document there, when queued and when finished, so any replica can answer for it.
/// </summary>
public sealed class JobService
{
    /// <summary>The error a job is dropped from the queue with when a client cancels it.</summary>
    public static readonly InferenceError CancelledByClient = new(StatusCodes.Status409Conflict, "the job was cancelled before it ran");

    private readonly ScheduledRun _run;
    private readonly InferenceScheduler _scheduler;
    private readonly ResponseCache _cache;
    private readonly JobTable _table;
    private readonly IJobStore? _store;
    private readonly JobsOptions _options;
    private readonly JobMetrics _metrics;
    private readonly PodMetricSet _podMetrics;
    private readonly TimeProvider _time;
    private readonly ILogger<JobService> _logger;
    private int _storeFailing;

    public JobService(ScheduledRun run, ResponseCache cache, JobTable table, IJobStore? store, JobsOptions options, JobMetrics metrics,
        PodMetricSet podMetrics, TimeProvider time, ILogger<JobService> logger)
    {
        _run = run;
        _scheduler = run.Scheduler;
        _cache = cache;
        _table = table;
        _store = store;
        _options = options;
        _metrics = metrics;
        _podMetrics = podMetrics;
        _time = time;
        _logger = logger;
    }

    public bool SharesJobs => _store is not null;

    /// <summary>
    /// Takes ownership of <paramref name="request"/> and admits it as a job, or answers it from the
    /// cache at once. Throws 429 when this replica holds too many unfinished jobs or the queue is
    /// full, 503 while draining; the request is then still the caller's.
    /// </summary>
    public async Task<Job> SubmitAsync(InferenceRequest request, long arrivalTimestamp, CacheDirectives directives, CancellationToken cancellationToken)
    {
        var job = new Job(JobId.New(), _time.GetUtcNow());
        if (!_table.TryAdd(job))
        {
            throw new InferenceError(StatusCodes.Status429TooManyRequests,
                $"this server holds {_options.MaxJobs} jobs that have not finished ({PodSettings.JobsMaxJobs}); retry later", PodMetrics.Reasons.QueueFull);
        }
        CacheKey? key = null;
        InferenceRequest[] chunks;
        try
        {
            if (_cache.Enabled)
            {
                key = CacheKey.For(_scheduler.Metadata, request);
                if (!directives.Lookup) _cache.CountBypass();
                else if (await _cache.TryGetAsync(key.Value, request, cancellationToken) is { } cached)
                {
                    Succeed(job, request, cached);
                    request.Dispose();
                    await PublishAsync(job);
                    return job;
                }
            }
            chunks = RequestChunks.Split(request, _scheduler.MaxBatchSize);
            job.TotalRows = request.Rows;
            job.Chunks = chunks.Length;
            job.Item = _run.Admit(CreateWorkItem(chunks[0], arrivalTimestamp));
        }
        catch
        {
            _table.Remove(job);
            throw;
        }
        await PublishAsync(job);
        _ = CompleteAsync(job, request, chunks, directives.Store ? key : null);
        return job;
    }

    /// <summary>
    /// Most rows one job may hold: beyond a batch it runs as several requests of one batch each,
    /// one after another, so a large job never holds more than one queue slot.
    /// </summary>
    public int MaxRows => _scheduler.Metadata.SupportsBatching ? Math.Max(_options.MaxRows, _scheduler.MaxBatchSize) : _scheduler.MaxBatchSize;

    /// <summary>The job's document as this replica knows it, live; or, when it holds no such job, as the shared store has it.</summary>
    public async Task<byte[]?> FindAsync(string id)
    {
        if (_table.TryGet(id, out var job)) return Document(job);
        if (_store is null) return null;
        try
        {
            var document = await _store.GetAsync(id);
            StoreAnswered();
            return document;
        }
        catch (Exception e)
        {
            StoreFailed(e);
            throw new InferenceError(StatusCodes.Status503ServiceUnavailable,
                $"job '{id}' is not held by this server and the shared job store cannot be reached; retry");
        }
    }

    /// <summary>Cancels a job still waiting in the queue; its document after the attempt, and whether it was cancelled.</summary>
    public async Task<(byte[] Document, bool Cancelled)?> CancelAsync(string id)
    {
        if (!_table.TryGet(id, out var job))
        {
            var stored = await FindAsync(id);
            return stored is null ? null : (stored, false);
        }
        var cancelled = job.Item is { } item && _scheduler.TryCancel(item, CancelledByClient);
        if (!cancelled && job.Chunks > 1 && job.Finished is null)
        {
            // A chunk is computing: the job stops before the next one.
            job.RequestCancel();
            cancelled = true;
        }
        // The job's own completion records the outcome; wait for it so the answer shows it (its
        // last chunk may have been computing, and then it succeeded).
        if (cancelled)
        {
            await job.Done;
            cancelled = job.Finished!.Status == JobStatus.Cancelled;
        }
        return (Document(job), cancelled);
    }

    /// <summary>The live document: queued with its position, running, or the outcome.</summary>
    public byte[] Document(Job job)
    {
        if (job.Finished is { } outcome) return JobDocument.Write(job, _scheduler.Metadata, outcome.Status, null);
        var position = job.Item is { } item ? _scheduler.Queue.PositionOf(item) : -1;
        // Queued until its first rows are computed; a job in several batches is running from then
        // on, with the position of its next batch while that one waits.
        var status = position >= 0 && job.CompletedRows == 0 ? JobStatus.Queued : JobStatus.Running;
        return JobDocument.Write(job, _scheduler.Metadata, status, position >= 0 ? position : null);
    }

    private WorkItem CreateWorkItem(InferenceRequest request, long arrivalTimestamp)
    {
        // A job waits up to its own queue timeout, not the interactive default; a request's timeout may shorten it.
        var timeout = _options.QueueTimeout;
        if (request.TimeoutMicroseconds > 0 && request.TimeoutMicroseconds < timeout.TotalMicroseconds)
            timeout = TimeSpan.FromMicroseconds(request.TimeoutMicroseconds);
        var level = _scheduler.CreateWorkItem(request, arrivalTimestamp).PriorityLevel;
        return new WorkItem(request, level, arrivalTimestamp, arrivalTimestamp + (long)(timeout.TotalSeconds * _time.TimestampFrequency));
    }

    private async Task CompleteAsync(Job job, InferenceRequest request, InferenceRequest[] chunks, CacheKey? storeKey)
    {
        var parts = new List<OutputTensor[]>(chunks.Length);
        try
        {
            OutputTensor[] outputs;
            try
            {
                for (var c = 0; c < chunks.Length; c++)
                {
                    if (c > 0)
                    {
                        if (job.CancelRequested)
                        {
                            Finish(job, CancelledOutcome(job));
                            return;
                        }
                        job.Item = await AdmitWhenRoomAsync(chunks[c]);
                    }
                    parts.Add(await _run.CompleteAsync(job.Item!, CancelledByClient, CancellationToken.None));
                    job.AddCompletedRows(chunks[c].Rows);
                }
            }
            catch (InferenceError error)
            {
                if (ReferenceEquals(error, CancelledByClient))
                {
                    Finish(job, CancelledOutcome(job));
                }
                else
                {
                    if (error.RejectionReason is { } reason) _podMetrics.CountRejection(reason);
                    var message = chunks.Length == 1 ? error.Message : $"{error.Message} (after {job.CompletedRows} of {job.TotalRows} rows)";
                    Finish(job, new Job.Outcome(JobStatus.Failed, _time.GetUtcNow(), null, error.StatusCode, message));
                }
                return;
            }
            if (parts.Count == 1)
            {
                outputs = parts[0];
            }
            else
            {
                outputs = OutputConcatenation.Concat(parts);
                ReleaseAll(parts);
            }
            parts.Clear();
            try
            {
                if (storeKey is { } key) await _cache.StoreAsync(key, request, outputs, CancellationToken.None);
                Succeed(job, request, outputs);
            }
            finally
            {
                foreach (var output in outputs) output.Release();
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Job {Job} failed unexpectedly", job.Id);
            Finish(job, new Job.Outcome(JobStatus.Failed, _time.GetUtcNow(), null, StatusCodes.Status500InternalServerError, $"internal error: {e.Message}"));
        }
        finally
        {
            ReleaseAll(parts);
            request.Dispose();
            await PublishAsync(job);
        }
    }

    /// <summary>A cancelled job's outcome, saying how far a job of several batches got.</summary>
    private Job.Outcome CancelledOutcome(Job job) => new(JobStatus.Cancelled, _time.GetUtcNow(), null, CancelledByClient.StatusCode,
        job.CompletedRows == 0 ? CancelledByClient.Message : $"the job was cancelled after {job.CompletedRows} of {job.TotalRows} rows");

    private static void ReleaseAll(List<OutputTensor[]> parts)
    {
        foreach (var part in parts)
        {
            foreach (var output in part) output.Release();
        }
    }

    /// <summary>
    /// Admits the next chunk of a job. A full queue makes it wait for room (the job is
    /// asynchronous; nobody holds a connection) until its queue timeout; draining fails it.
    /// </summary>
    private async Task<WorkItem> AdmitWhenRoomAsync(InferenceRequest chunk)
    {
        var item = CreateWorkItem(chunk, _time.GetTimestamp());
        while (true)
        {
            try
            {
                return _run.Admit(item);
            }
            catch (InferenceError error) when (error.RejectionReason == PodMetrics.Reasons.QueueFull)
            {
                if (_time.GetTimestamp() >= item.DeadlineTimestamp) throw _scheduler.DeadlineExceeded(item);
                await Task.Delay(QueueFullRetry, _time);
            }
        }
    }

    private static readonly TimeSpan QueueFullRetry = TimeSpan.FromMilliseconds(20);

    /// <summary>Records the inference response as the job's result, or fails the job when it is over the size limit.</summary>
    private void Succeed(Job job, InferenceRequest request, OutputTensor[] outputs)
    {
        byte[] result;
        using (var json = new PooledBufferWriter())
        {
            ResponseEncoder.EncodeJson(json, _scheduler.Metadata, request, outputs);
            result = json.WrittenCount <= _options.MaxResultBytes ? json.WrittenSpan.ToArray() : [];
            if (result.Length == 0)
            {
                Finish(job, new Job.Outcome(JobStatus.Failed, _time.GetUtcNow(), null, StatusCodes.Status413PayloadTooLarge,
                    $"the result of {json.WrittenCount} bytes exceeds the limit of {_options.MaxResultBytes} bytes ({PodSettings.JobsMaxResultBytes})"));
                return;
            }
        }
        Finish(job, new Job.Outcome(JobStatus.Succeeded, _time.GetUtcNow(), result, 0, null));
    }

    private void Finish(Job job, Job.Outcome outcome)
    {
        if (!job.TryFinish(outcome, _time.GetTimestamp())) return;
        _table.MarkFinished(job);
        _metrics.CountFinished(outcome.Status);
    }

    /// <summary>Writes the job's document to the shared store; a failure is counted and logged, never the request's.</summary>
    private async Task PublishAsync(Job job)
    {
        if (_store is null) return;
        var finished = job.Finished is not null;
        var ttl = finished ? _options.ResultTtl : _options.QueueTimeout + _options.ResultTtl;
        try
        {
            await _store.SaveAsync(job.Id, Document(job), ttl);
            StoreAnswered();
        }
        catch (Exception e)
        {
            StoreFailed(e);
        }
    }

    private void StoreFailed(Exception e)
    {
        _metrics.StoreErrors.Inc();
        if (Interlocked.Exchange(ref _storeFailing, 1) == 0)
            _logger.LogWarning("The shared job store failed; jobs are answered by the replica that holds them until it answers again: {Error}", e.Message);
    }

    private void StoreAnswered()
    {
        if (Volatile.Read(ref _storeFailing) == 1 && Interlocked.Exchange(ref _storeFailing, 0) == 1)
            _logger.LogInformation("The shared job store answers again");
    }
}
