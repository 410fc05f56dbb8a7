using System.Globalization;
using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Caching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Lifecycle;
using Platform.InferencePod.Metrics;
using Platform.InferencePod.RateLimiting;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// <c>POST /v2/models/{name}[/versions/{version}]/infer</c>: decode, admit (or refuse at once
/// with 429/503), await the batch, encode. A request that passes its deadline or whose client
/// disconnects while queued is taken out of the queue before compute.
/// </summary>
public sealed class InferHandler(InferenceScheduler scheduler, CachedInference inference, Refusal refusal, HttpRateLimiting rateLimiting, PodState state, PodMetricSet metrics, PodOptions options, TimeProvider time, ILogger<InferHandler> logger)
{
    private static readonly InferenceError ClientGone = ScheduledRun.ClientGone;

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
            AcceptanceCheck.EnsureAccepting(state, model, warmup);
            // A client over its rate limit is refused before it can take a queue slot.
            if (!warmup) rateLimiting.Acquire(context);
            // Fast refusal: a full queue, or a backlog longer than any request's deadline, answers
            // before the body is read or decoded, so overload costs the pod almost nothing per
            // refused request. TrySubmit and the per-request deadline check stay the authority.
            // (Not with a response cache: a full queue must not stop a cached answer.)
            if (!inference.Cache.Enabled)
            {
                if (scheduler.Queue.Count >= scheduler.Queue.Capacity) throw ScheduledRun.QueueFull(scheduler.Queue.Capacity);
                if (!scheduler.CanMeetDefaultDeadline()) throw ScheduledRun.BacklogTooLong(scheduler);
            }
            var (body, length) = await RequestBody.ReadAsync(context.Request, options.Server.MaxRequestBodyBytes, aborted);
            request.Adopt(body);
            RequestDecoder.Decode(body.AsMemory(0, length), JsonLength(context.Request, length), scheduler.Metadata, scheduler.MaxBatchSize, scheduler.Queue.PriorityLevels, request);
            status = await ScheduleAndRespondAsync(context, request, arrival, warmup);
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

    private async Task<int> ScheduleAndRespondAsync(HttpContext context, InferenceRequest request, long arrival, bool warmup)
    {
        // Warm-up requests neither read nor fill the cache: they must reach the model.
        var directives = warmup ? CacheDirectives.Bypass : CacheDirectives.From(context.Request.Headers);
        var outputs = await inference.RunAsync(request, arrival, directives, context.RequestAborted);
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

    private Task<int> RefuseAsync(HttpContext context, bool warmup, InferenceError error) => refusal.WriteAsync(context, error, countRejection: !warmup);

    /// <summary>The JSON part's length: the binary extension's header, or the whole body.</summary>
    internal static int JsonLength(HttpRequest request, int bodyLength)
    {
        if (!request.Headers.TryGetValue(InferenceProtocol.InferenceHeaderContentLength, out var values)) return bodyLength;
        if (values.Count != 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            throw InferenceError.BadRequest($"header {InferenceProtocol.InferenceHeaderContentLength} must be one non-negative integer");
        if (length > bodyLength)
            throw InferenceError.BadRequest($"header {InferenceProtocol.InferenceHeaderContentLength} is {length} but the body has only {bodyLength} bytes");
        return length;
    }
}
