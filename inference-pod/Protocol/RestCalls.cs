using Platform.Contracts;
using Platform.InferencePod.Caching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Pipeline;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// What the REST routes (infer, classify, jobs) share around the pipeline: the call context of
/// an HTTP request, its body read within the upload bound, and a refusal written as the
/// protocol's error with the pipeline's Retry-After and the quota's headers.
/// </summary>
public sealed class RestCalls(InferencePipeline pipeline, WarmupConnections warmup, PodOptions options, TimeProvider time)
{
    public InferencePipeline Pipeline => pipeline;

    /// <param name="maxWait">The longest the call may wait for compute; null means <c>Queue:DefaultTimeoutMs</c>.</param>
    /// <param name="observer">Told of the call's admissions (jobs).</param>
    /// <param name="detached">The call outlives the HTTP request (a job): the client leaving does not cancel it.</param>
    public CallContext Create(HttpContext context, string model, string? version, TimeSpan? maxWait = null, IAdmissionObserver? observer = null, bool detached = false) => new()
    {
        Model = model,
        Version = version,
        ArrivalTimestamp = time.GetTimestamp(),
        MaxWait = maxWait,
        ClientKey = pipeline.Quotas.ClientKeyOf(context),
        Cache = CacheDirectives.From(context.Request.Headers),
        Warmup = warmup.IsWarmup(context.Connection.RemoteIpAddress, context.Connection.RemotePort),
        Aborted = detached ? CancellationToken.None : context.RequestAborted,
        Observer = observer,
    };

    /// <summary>
    /// Reads the whole body within <c>Server:BodyTimeoutSeconds</c> (408 past it) and records
    /// when it arrived; the caller owns the pooled buffer.
    /// </summary>
    public async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpContext context, CallContext call)
    {
        using var upload = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        upload.CancelAfter(options.Server.BodyTimeout);
        try
        {
            var body = await RequestBody.ReadAsync(context.Request, options.Server.MaxRequestBodyBytes, upload.Token);
            call.BodyReceivedTimestamp = time.GetTimestamp();
            return body;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && upload.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            throw new InferenceError(StatusCodes.Status408RequestTimeout,
                $"the request body did not finish arriving within {options.Server.BodyTimeoutSeconds:0.###} s ({PodSettings.ServerBodyTimeoutSeconds})",
                PodMetrics.Reasons.BadRequest);
        }
    }

    /// <summary>The RateLimit headers of a call a quota applied to; before the answer starts.</summary>
    public void WriteQuotaHeaders(HttpContext context, CallContext call) => pipeline.Quotas.WriteHeaders(context.Response, call.Quota);

    /// <summary>Writes the refusal (nothing when the client left) and returns its status code.</summary>
    public async Task<int> RefuseAsync(HttpContext context, CallContext? call, InferenceError error)
    {
        if (ReferenceEquals(error, Refusals.ClientGone) || context.RequestAborted.IsCancellationRequested) return error.StatusCode;
        if (call is not null) WriteQuotaHeaders(context, call);
        try
        {
            await ErrorResponse.WriteAsync(context.Response, error.StatusCode, error.Message, pipeline.RetryAfterSeconds(error));
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client went away while we answered; nothing is left to tell it.
        }
        return error.StatusCode;
    }

    /// <summary>Answers a failure after the pipeline returned (writing the answer): a client that left as 499, anything else counted and answered.</summary>
    public Task<int> FailAsync(HttpContext context, CallContext call, Exception exception)
    {
        var error = pipeline.ErrorOf(exception, call);
        pipeline.Refused(error);
        return RefuseAsync(context, call, error);
    }
}
