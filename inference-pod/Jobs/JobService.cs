using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Pipeline;
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
    public static InferenceError CancelledByClient => Job.CancelledByClient;

    private readonly InferencePipeline _pipeline;
    private readonly JobTable _table;
    private readonly IJobStore? _store;
    private readonly JobsOptions _options;
    private readonly JobMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<JobService> _logger;
    private int _storeFailing;

    public JobService(InferencePipeline pipeline, JobTable table, IJobStore? store, JobsOptions options, JobMetrics metrics,
        TimeProvider time, ILogger<JobService> logger)
    {
        _pipeline = pipeline;
        _table = table;
        _store = store;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public bool SharesJobs => _store is not null;

    /// <summary>How long a job's batch may wait in the queue (<c>Jobs:QueueTimeoutSeconds</c>), instead of the interactive default.</summary>
    public TimeSpan QueueTimeout => _options.QueueTimeout;

    /// <summary>A new job in this replica's table; 429 when it holds too many unfinished jobs.</summary>
    public Job Open()
    {
        var job = new Job(JobId.New(), _time.GetUtcNow());
        if (!_table.TryAdd(job))
        {
            throw new InferenceError(StatusCodes.Status429TooManyRequests,
                $"this server holds {_options.MaxJobs} jobs that have not finished ({PodSettings.JobsMaxJobs}); retry later", PodMetrics.Reasons.QueueFull);
        }
        return job;
    }

    /// <summary>
    /// Runs an opened job through the pipeline (<paramref name="call"/> observed by the job) and
    /// returns once its first batch is admitted, or it is answered from the cache. Takes
    /// ownership of <paramref name="request"/>. A refusal before admission (429, 503, a bad body)
    /// is thrown and the job forgotten.
    /// </summary>
    public async Task SubmitAsync(Job job, InferenceRequest request, CallContext call, DecodeRequest decode)
    {
        Task<OutputTensor[]> run;
        try
        {
            run = _pipeline.InferAsync(request, call, decode);
            await Task.WhenAny(run, job.FirstAdmitted);
        }
        catch
        {
            _table.Remove(job);
            request.Dispose();
            throw;
        }
        if (run.IsFaulted && !job.FirstAdmitted.IsCompleted)
        {
            _table.Remove(job);
            request.Dispose();
            _pipeline.Release(call);
            await run;
        }
        var completion = CompleteAsync(job, request, call, run);
        if (run.IsCompleted) await completion;
        else await PublishAsync(job);
    }

    /// <summary>
    /// Most rows one job may hold: beyond a batch it runs as several requests of one batch each,
    /// one after another, so a large job never holds more than one queue slot.
    /// </summary>
    public int MaxRows => _pipeline.Metadata.SupportsBatching ? Math.Max(_options.MaxRows, _pipeline.MaxBatchSize) : _pipeline.MaxBatchSize;

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
        var cancelled = job.Item is { } item && item.TryCancel(CancelledByClient);
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
        if (job.Finished is { } outcome) return JobDocument.Write(job, _pipeline.Metadata, outcome.Status, null);
        var position = job.Item?.QueuePosition ?? -1;
        // Queued until its first rows are computed; a job in several batches is running from then
        // on, with the position of its next batch while that one waits.
        var status = position >= 0 && job.CompletedRows == 0 ? JobStatus.Queued : JobStatus.Running;
        return JobDocument.Write(job, _pipeline.Metadata, status, position >= 0 ? position : null);
    }

    private async Task CompleteAsync(Job job, InferenceRequest request, CallContext call, Task<OutputTensor[]> run)
    {
        try
        {
            OutputTensor[] outputs;
            try
            {
                outputs = await run;
            }
            catch (InferenceError error)
            {
                if (ReferenceEquals(error, CancelledByClient))
                {
                    Finish(job, CancelledOutcome(job));
                }
                else
                {
                    var message = job.Chunks == 1 ? error.Message : $"{error.Message} (after {job.CompletedRows} of {job.TotalRows} rows)";
                    Finish(job, new Job.Outcome(JobStatus.Failed, _time.GetUtcNow(), null, error.StatusCode, message));
                }
                return;
            }
            try
            {
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
            request.Dispose();
            _pipeline.Release(call);
            await PublishAsync(job);
        }
    }

    /// <summary>A cancelled job's outcome, saying how far a job of several batches got.</summary>
    private Job.Outcome CancelledOutcome(Job job) => new(JobStatus.Cancelled, _time.GetUtcNow(), null, CancelledByClient.StatusCode,
        job.CompletedRows == 0 ? CancelledByClient.Message : $"the job was cancelled after {job.CompletedRows} of {job.TotalRows} rows");

    /// <summary>Records the inference response as the job's result, or fails the job when it is over the size limit.</summary>
    private void Succeed(Job job, InferenceRequest request, OutputTensor[] outputs)
    {
        byte[] result;
        using (var json = new PooledBufferWriter())
        {
            ResponseEncoder.EncodeJson(json, _pipeline.Metadata, request, outputs);
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
