using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Caching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Metrics;
using Platform.InferencePod.Model;
using Platform.InferencePod.RateLimiting;

namespace Platform.InferencePod.Pipeline;

/// <summary>
/// The one way a request reaches the model, whatever protocol brought it (REST infer, gRPC,
/// classify, jobs, the pod's own warm-up): the model route, acceptance (ready, not draining),
/// the client's quota, refusal before the body is decoded when the backlog already rules the
/// request out, the adapter's decode, the deadline, the response cache, admission into the
/// bounded queue (or the refusal that says why not), the wait for its batch, and the metrics.
/// Adapters only decode, call <see cref="InferAsync"/>, encode, and map an
/// <see cref="InferenceError"/> to their protocol with <see cref="RetryAfterSeconds"/>.
/// </summary>
public sealed class InferencePipeline
{
    /// <summary>How long the pod's own warm-up calls may wait: a slow first (not yet compiled) pass must not fail the warm-up.</summary>
    public static readonly TimeSpan WarmupMaxWait = TimeSpan.FromMinutes(5);

    private readonly InferenceScheduler _scheduler;
    private readonly ResponseCache _cache;
    private readonly RequestQuotas _quotas;
    private readonly PodState _state;
    private readonly PodMetricSet _metrics;
    private readonly PodOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RefusalLog _refusalLog;
    private int _openAdmitted;
    private int _warmupCallsAnswered;

    public InferencePipeline(InferenceScheduler scheduler, ResponseCache cache, RequestQuotas quotas, PodState state, PodMetricSet metrics,
        PodOptions options, TimeProvider time, ILogger<InferencePipeline> logger)
    {
        _scheduler = scheduler;
        _cache = cache;
        _quotas = quotas;
        _state = state;
        _metrics = metrics;
        _options = options;
        _time = time;
        _logger = logger;
        _refusalLog = new RefusalLog(time, logger);
    }

    public ModelMetadata Metadata => _scheduler.Metadata;
    /// <summary>Rows one model run may stack: a request may hold at most this many unless it is a job.</summary>
    public int MaxBatchSize => _scheduler.MaxBatchSize;
    public int PriorityLevels => _scheduler.PriorityLevels;
    public RequestQuotas Quotas => _quotas;
    /// <summary>Calls admitted into the queue and not yet answered (their adapter has not recorded them).</summary>
    public int OpenAdmitted => Volatile.Read(ref _openAdmitted);
    /// <summary>The pod's own warm-up calls answered with outputs (kept out of every serving metric).</summary>
    public int WarmupCallsAnswered => Volatile.Read(ref _warmupCallsAnswered);

    /// <summary>503 while the pod drains, or (except for its own warm-up) before it is warmed up: what every route checks first.</summary>
    public void EnsureAccepting(string model, bool warmup = false)
    {
        if (_state.Draining) throw Refusals.Draining;
        if (!_state.WarmedUp && !warmup) throw Refusals.NotReady(model);
    }

    /// <summary>
    /// Runs one call. <paramref name="decode"/> fills <paramref name="request"/> after the checks
    /// that need no body. Returns the outputs (pooled, one per model output; the caller releases
    /// them); throws an <see cref="InferenceError"/> that says how to answer, already counted.
    /// The adapter then calls <see cref="Record"/> with the status it answered.
    /// </summary>
    public async Task<OutputTensor[]> InferAsync(InferenceRequest request, CallContext call, DecodeRequest decode)
    {
        try
        {
            ModelRoutes.EnsureServed(_scheduler.Metadata, call.Model, call.Version);
            EnsureAccepting(call.Model, call.Warmup);
            if (!call.Warmup && call.ClientKey is { } client && _quotas.Acquire(client) is { } quota)
            {
                call.Quota = quota;
                if (!quota.Allowed) throw RequestQuotas.Refusal(quota);
            }
            var maxWait = call.Warmup ? WarmupMaxWait : call.MaxWait ?? _options.Queue.DefaultTimeout;
            // Overload costs the pod almost nothing per refused request: a full queue, or a backlog
            // longer than any deadline this call may have, is answered before the body is decoded.
            // (Not with a response cache: a full queue must not stop a cached answer.) Warm-up calls
            // take the same checks, so they are compiled before ready; their wait always admits.
            if (!_cache.Enabled) RefuseEarly(maxWait);
            await decode(request, call.Aborted);
            var deadline = Deadline(request, call, call.ArrivalTimestamp, maxWait);
            var now = _time.GetTimestamp();
            if (now >= deadline) throw TooLateToStart(call, deadline, maxWait);
            return await CachedAsync(request, call, deadline, maxWait);
        }
        catch (Exception e)
        {
            var error = ErrorOf(e, call);
            if (!call.Warmup) Refused(error);
            throw error;
        }
    }

    /// <summary>Counts the answer the adapter gave (unless warm-up) and closes the call's admission.</summary>
    public void Record(CallContext call, int statusCode)
    {
        Release(call);
        if (call.Warmup)
        {
            if (statusCode == StatusCodes.Status200OK) Interlocked.Increment(ref _warmupCallsAnswered);
            return;
        }
        _metrics.CountResponse(statusCode);
        if (statusCode == StatusCodes.Status200OK) _metrics.RequestDuration.Observe(_time.GetElapsedTime(call.ArrivalTimestamp).TotalSeconds);
    }

    /// <summary>Counts an answer given outside a call (a job's 202, a refusal before one began).</summary>
    public void CountResponse(int statusCode) => _metrics.CountResponse(statusCode);

    /// <summary>Closes the call's admission without counting an answer (a job whose outcome is stored, not sent).</summary>
    public void Release(CallContext call)
    {
        if (call.Recorded) return;
        call.Recorded = true;
        if (call.Admitted) Interlocked.Decrement(ref _openAdmitted);
    }

    /// <summary>The Retry-After (seconds) of a refusal, when retrying helps: the error's own, the backlog's estimate for a 429, 1 s for a 503.</summary>
    public int? RetryAfterSeconds(InferenceError error) => error.RetryAfterSeconds ?? error.StatusCode switch
    {
        StatusCodes.Status429TooManyRequests => _scheduler.EstimateRetryAfterSeconds(),
        StatusCodes.Status503ServiceUnavailable => 1,
        _ => null,
    };

    /// <summary>Counts and logs (at most once a second per kind) an error answered outside a call, such as a malformed route.</summary>
    public void Refused(InferenceError error)
    {
        if (error.RejectionReason is { } reason) _metrics.CountRejection(reason);
        _refusalLog.Add(error);
    }

    private void RefuseEarly(TimeSpan maxWait)
    {
        if (_scheduler.QueuedRequests >= _scheduler.Capacity) throw Refusals.QueueFull(_scheduler.Capacity);
        // Before the body is read the request's rows are unknown: judge it as one row with the longest wait.
        if (_scheduler.QueuedRequests > 0 && Admission(1, maxWait, out _) == AdmissionVerdict.BacklogTooLong)
            throw Refusals.BacklogTooLong(_scheduler.EstimateBacklog());
    }

    private AdmissionVerdict Admission(int rows, TimeSpan remaining, out TimeSpan ownCompute)
    {
        ownCompute = _scheduler.EstimateCompute(rows);
        return AdmissionPolicy.Decide(_scheduler.EstimateCompletion(rows), ownCompute, remaining);
    }

    /// <summary>The nearest of: the call's longest wait, the request's own timeout, the transport's deadline.</summary>
    private long Deadline(InferenceRequest request, CallContext call, long from, TimeSpan maxWait)
    {
        var timeout = maxWait;
        if (request.TimeoutMicroseconds > 0 && request.TimeoutMicroseconds < timeout.TotalMicroseconds)
            timeout = TimeSpan.FromMicroseconds(request.TimeoutMicroseconds);
        return Math.Min(from + (long)(timeout.TotalSeconds * _time.TimestampFrequency), call.TransportDeadlineTimestamp);
    }

    /// <summary>408 when the body itself arrived after the server's wait for a request; otherwise 504 (the request's own deadline was too short).</summary>
    private InferenceError TooLateToStart(CallContext call, long deadline, TimeSpan maxWait)
    {
        if (call.BodyReceivedTimestamp != 0)
        {
            var upload = _time.GetElapsedTime(call.ArrivalTimestamp, call.BodyReceivedTimestamp);
            if (upload >= maxWait) return Refusals.BodyArrivedTooLate(upload, maxWait);
        }
        return Refusals.DeadlinePassedBeforeStart(_time.GetElapsedTime(call.ArrivalTimestamp, deadline));
    }

    private async Task<OutputTensor[]> CachedAsync(InferenceRequest request, CallContext call, long deadline, TimeSpan maxWait)
    {
        // Warm-up calls neither read nor fill the cache: they must reach the model.
        if (call.Warmup || !_cache.Enabled) return await RunAsync(request, call, deadline, maxWait);
        var key = CacheKey.For(_scheduler.Metadata, request);
        if (!call.Cache.Lookup) _cache.CountBypass();
        else if (await _cache.TryGetAsync(key, request, call.Aborted) is { } cached) return cached;
        var outputs = await RunAsync(request, call, deadline, maxWait);
        if (call.Cache.Store)
        {
            try
            {
                await _cache.StoreAsync(key, request, outputs, call.Aborted);
            }
            catch
            {
                foreach (var output in outputs) output.Release();
                throw;
            }
        }
        return outputs;
    }

    /// <summary>
    /// A request of at most one batch is admitted once. A larger one (a job) runs as batches one
    /// after another, so it never holds more than one queue slot: the first is refused when the
    /// queue is full, later ones wait for room, each with its own wait counted from its admission.
    /// </summary>
    private async Task<OutputTensor[]> RunAsync(InferenceRequest request, CallContext call, long deadline, TimeSpan maxWait)
    {
        if (request.Rows <= _scheduler.MaxBatchSize) return await AdmitAndWaitAsync(request, call, call.ArrivalTimestamp, deadline, waitForRoom: false);
        var chunks = RequestChunks.Split(request, _scheduler.MaxBatchSize);
        var parts = new List<OutputTensor[]>(chunks.Length);
        try
        {
            for (var c = 0; c < chunks.Length; c++)
            {
                var enqueued = call.ArrivalTimestamp;
                var chunkDeadline = deadline;
                if (c > 0)
                {
                    if (call.Observer?.StopReason is { } stop) throw stop;
                    enqueued = _time.GetTimestamp();
                    chunkDeadline = Deadline(chunks[c], call, enqueued, maxWait);
                }
                parts.Add(await AdmitAndWaitAsync(chunks[c], call, enqueued, chunkDeadline, waitForRoom: c > 0));
                call.Observer?.Computed(chunks[c].Rows);
            }
            var outputs = OutputConcatenation.Concat(parts);
            return outputs;
        }
        finally
        {
            foreach (var part in parts)
            {
                foreach (var output in part) output.Release();
            }
        }
    }

    private async Task<OutputTensor[]> AdmitAndWaitAsync(InferenceRequest request, CallContext call, long enqueued, long deadline, bool waitForRoom)
    {
        if (!waitForRoom)
        {
            // A client that waits is refused at once when the backlog would outlast its deadline
            // (429: retrying later helps), or when its own compute alone would (504: it does not).
            var remaining = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            switch (Admission(request.Rows, remaining, out var own))
            {
                case AdmissionVerdict.ComputeExceedsDeadline:
                    throw Refusals.ComputeExceedsDeadline(own, remaining);
                case AdmissionVerdict.BacklogTooLong:
                    throw Refusals.BacklogTooLong(_scheduler.EstimateBacklog());
            }
        }
        while (true)
        {
            switch (_scheduler.TryAdmit(request, enqueued, deadline, call.Warmup, out var item))
            {
                case AdmitResult.Admitted:
                    return await WaitAsync(item, call);
                case AdmitResult.Closed:
                    throw Refusals.Draining;
            }
            if (!waitForRoom) throw Refusals.QueueFull(_scheduler.Capacity);
            // Waits for the next request to leave the queue, no longer than this one's deadline.
            var remaining = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero) throw _scheduler.DeadlineExceeded(item);
            try
            {
                await _scheduler.WhenRoomAsync(call.Aborted).WaitAsync(remaining, _time);
            }
            catch (TimeoutException)
            {
                throw _scheduler.DeadlineExceeded(item);
            }
        }
    }

    /// <summary>Awaits an admitted item; past its deadline or once the client is gone it leaves the queue unrun.</summary>
    private async Task<OutputTensor[]> WaitAsync(WorkItem item, CallContext call)
    {
        if (!call.Admitted)
        {
            call.Admitted = true;
            Interlocked.Increment(ref _openAdmitted);
        }
        call.Observer?.Admitted(item);
        if (!call.Warmup) _metrics.InFlight.Inc();
        try
        {
            var remaining = _time.GetElapsedTime(_time.GetTimestamp(), item.DeadlineTimestamp);
            using var deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time);
            using var onDeadline = deadline.Token.UnsafeRegister(static s => { var (scheduler, it) = ((InferenceScheduler, WorkItem))s!; it.TryCancel(scheduler.DeadlineExceeded(it)); }, (_scheduler, item));
            using var onAbort = call.Aborted.UnsafeRegister(static s => ((WorkItem)s!).TryCancel(Refusals.ClientGone), item);
            return await item.Completion;
        }
        finally
        {
            if (!call.Warmup) _metrics.InFlight.Dec();
        }
    }

    /// <summary>What an exception means for the client: the data plane's errors as they are, a bad HTTP body by its status, a client that left as 499 (or a gRPC deadline as 504), anything else a logged 500.</summary>
    public InferenceError ErrorOf(Exception exception, CallContext call)
    {
        switch (exception)
        {
            case InferenceError error when ReferenceEquals(error, Refusals.ClientGone) && TransportDeadlinePassed(call):
                return Refusals.TransportDeadlinePassed(_time.GetElapsedTime(call.ArrivalTimestamp));
            case InferenceError error:
                return error;
            case BadHttpRequestException bad:
                return new InferenceError(bad.StatusCode, bad.Message, PodMetrics.Reasons.BadRequest);
            case OperationCanceledException or IOException when call.Aborted.IsCancellationRequested:
                return TransportDeadlinePassed(call) ? Refusals.TransportDeadlinePassed(_time.GetElapsedTime(call.ArrivalTimestamp)) : Refusals.ClientGone;
            default:
                // A defect, not a client error: answer in the protocol's shape and keep serving.
                _logger.LogError(exception, "Inference request failed unexpectedly");
                return new InferenceError(StatusCodes.Status500InternalServerError, $"internal error: {exception.Message}");
        }
    }

    /// <summary>The transport cancels a call at its deadline; that is a deadline, not a client that left.</summary>
    private bool TransportDeadlinePassed(CallContext call) =>
        call.TransportDeadlineTimestamp != long.MaxValue && _time.GetTimestamp() >= call.TransportDeadlineTimestamp;
}
