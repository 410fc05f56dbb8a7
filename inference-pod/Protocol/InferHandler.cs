using System.Globalization;
using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Lifecycle;
using Platform.InferencePod.Metrics;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// <c>POST /v2/models/{name}[/versions/{version}]/infer</c>: decode, admit (or refuse at once
/// with 429/503), await the batch, encode. A request that passes its deadline or whose client
/// disconnects while queued is taken out of the queue before compute.
/// </summary>
public sealed class InferHandler(InferenceScheduler scheduler, PodState state, PodMetricSet metrics, PodOptions options, TimeProvider time, ILogger<InferHandler> logger)
{
    private static readonly InferenceError ClientGone = new(499, "client disconnected", PodMetrics.Reasons.ClientDisconnected);
    private static readonly InferenceError Draining = new(StatusCodes.Status503ServiceUnavailable,
        "the server is shutting down and admits no new requests; retry on another replica", PodMetrics.Reasons.Draining);

    public async Task HandleAsync(HttpContext context, string model, string? version)
    {
        var arrival = time.GetTimestamp();
        var aborted = context.RequestAborted;
        using var request = new InferenceRequest();
        var warmup = IsWarmupRequest(context);
        int status;
        try
        {
            ModelRoutes.EnsureServed(scheduler.Metadata, model, version);
            if (state.Draining) throw Draining;
            if (!state.WarmedUp && !warmup)
                throw new InferenceError(StatusCodes.Status503ServiceUnavailable, $"model '{model}' is warming up and not ready yet", PodMetrics.Reasons.NotReady);
            // Fast refusal: a full queue answers before the body is read or decoded, so overload
            // costs the pod almost nothing per refused request. TrySubmit below stays the authority.
            if (scheduler.Queue.Count >= scheduler.Queue.Capacity) throw QueueFull();
            var (body, length) = await RequestBody.ReadAsync(context.Request, options.Server.MaxRequestBodyBytes, aborted);
            request.Adopt(body);
            RequestDecoder.Decode(body.AsMemory(0, length), JsonLength(context.Request, length), scheduler.Metadata, scheduler.MaxBatchSize, scheduler.Queue.PriorityLevels, request);
            status = await ScheduleAndRespondAsync(context, request, arrival);
        }
        catch (InferenceError error)
        {
            status = await RefuseAsync(context, warmup, error);
        }
        catch (BadHttpRequestException error)
        {
            status = await RefuseAsync(context, warmup, new InferenceError(error.StatusCode, error.Message, PodMetrics.Reasons.BadRequest));
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            status = await RefuseAsync(context, warmup, ClientGone);
        }
        catch (IOException) when (aborted.IsCancellationRequested)
        {
            status = await RefuseAsync(context, warmup, ClientGone);
        }
        catch (Exception e)
        {
            // A defect, not a client error: answer in the protocol's shape and keep serving.
            logger.LogError(e, "Inference request failed unexpectedly");
            status = await RefuseAsync(context, warmup, new InferenceError(StatusCodes.Status500InternalServerError, $"internal error: {e.Message}"));
        }
        if (warmup) return;
        metrics.CountResponse(status);
        if (status == StatusCodes.Status200OK) metrics.RequestDuration.Observe(time.GetElapsedTime(arrival).TotalSeconds);
    }

    private bool IsWarmupRequest(HttpContext context) =>
        context.Request.Headers.TryGetValue(HttpWarmup.TokenHeader, out var token) && token == state.WarmupToken;

    private async Task<int> ScheduleAndRespondAsync(HttpContext context, InferenceRequest request, long arrival)
    {
        var item = scheduler.CreateWorkItem(request, arrival);
        if (!scheduler.CanMeetDeadline(item, time.GetTimestamp()))
        {
            throw new InferenceError(StatusCodes.Status429TooManyRequests,
                $"the queue holds about {scheduler.EstimateBacklog().TotalMilliseconds:F0} ms of work, more than this request's deadline allows; retry later",
                PodMetrics.Reasons.QueueFull);
        }
        switch (scheduler.TrySubmit(item))
        {
            case AdmitResult.Full:
                throw QueueFull();
            case AdmitResult.Closed:
                throw Draining;
        }
        metrics.InFlight.Inc();
        try
        {
            OutputTensor[] outputs;
            var remaining = time.GetElapsedTime(time.GetTimestamp(), item.DeadlineTimestamp);
            using (var deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time))
            using (deadline.Token.UnsafeRegister(static s => { var (sc, it) = ((InferenceScheduler, WorkItem))s!; sc.TryCancel(it, sc.DeadlineExceeded(it)); }, (scheduler, item)))
            using (context.RequestAborted.UnsafeRegister(static s => { var (sc, it) = ((InferenceScheduler, WorkItem))s!; sc.TryCancel(it, ClientGone); }, (scheduler, item)))
            {
                outputs = await item.Completion;
            }
            try
            {
                await ResponseEncoder.WriteAsync(context.Response, scheduler.Metadata, request, outputs, context.RequestAborted);
            }
            finally
            {
                foreach (var output in outputs) output.Release();
            }
            return StatusCodes.Status200OK;
        }
        finally
        {
            metrics.InFlight.Dec();
        }
    }

    private async Task<int> RefuseAsync(HttpContext context, bool warmup, InferenceError error)
    {
        if (error.RejectionReason is { } reason && !warmup) metrics.CountRejection(reason);
        if (ReferenceEquals(error, ClientGone) || context.RequestAborted.IsCancellationRequested) return error.StatusCode;
        if (error.StatusCode >= 500) logger.LogWarning("Inference request answered {Status}: {Message}", error.StatusCode, error.Message);
        int? retryAfter = error.StatusCode switch
        {
            StatusCodes.Status429TooManyRequests => scheduler.EstimateRetryAfterSeconds(),
            StatusCodes.Status503ServiceUnavailable => 1,
            _ => null,
        };
        try
        {
            await ErrorResponse.WriteAsync(context.Response, error.StatusCode, error.Message, retryAfter);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client went away while we answered; nothing is left to tell it.
        }
        return error.StatusCode;
    }

    private InferenceError QueueFull() => new(StatusCodes.Status429TooManyRequests,
        $"the queue is full ({scheduler.Queue.Capacity} requests); retry later", PodMetrics.Reasons.QueueFull);

    /// <summary>The JSON part's length: the binary extension's header, or the whole body.</summary>
    private static int JsonLength(HttpRequest request, int bodyLength)
    {
        if (!request.Headers.TryGetValue(InferenceProtocol.InferenceHeaderContentLength, out var values)) return bodyLength;
        if (values.Count != 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            throw InferenceError.BadRequest($"header {InferenceProtocol.InferenceHeaderContentLength} must be one non-negative integer");
        if (length > bodyLength)
            throw InferenceError.BadRequest($"header {InferenceProtocol.InferenceHeaderContentLength} is {length} but the body has only {bodyLength} bytes");
        return length;
    }
}
