using Grpc.Core;
using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Caching;
using Platform.InferencePod.Lifecycle;
using Platform.InferencePod.Metrics;
using Platform.InferencePod.Model;
using Platform.InferencePod.Protocol;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.Grpc.V2;

namespace Platform.InferencePod.Grpc;

/// <summary>
/// The Open Inference Protocol over gRPC (<c>inference.GRPCInferenceService</c>). ModelInfer
/// takes the same path as REST: readiness and drain checks, the client's quota, the shared
/// validation, the response cache (with the same <c>cache-control</c> directives), the
/// admission queue with its deadline (the call's deadline can only shorten it) and priority,
/// the batcher; errors map to gRPC status codes in <see cref="GrpcErrors"/>.
/// Bound to its routes by <see cref="V2GrpcMethodProvider"/>.
/// </summary>
public sealed class V2GrpcService(
    InferenceScheduler scheduler,
    CachedInference inference,
    HttpRateLimiting rateLimiting,
    PodState state,
    PodMetricSet metrics,
    TimeProvider time,
    ILogger<V2GrpcService> logger)
{
    private readonly ModelMetadataResponse _modelMetadata = ModelMetadataOf(scheduler.Metadata);
    private readonly ServerMetadataResponse _serverMetadata = new() { Name = MetadataDocuments.ServerName, Version = MetadataDocuments.ServerVersion, Extensions = { MetadataDocuments.Extensions } };

    public Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    public Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = state.IsReady });

    public Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context)
    {
        EnsureServed(request.Name, request.Version);
        return Task.FromResult(new ModelReadyResponse { Ready = state.IsReady });
    }

    public Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context) =>
        Task.FromResult(_serverMetadata);

    public Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
    {
        EnsureServed(request.Name, request.Version);
        return Task.FromResult(_modelMetadata);
    }

    public async Task<ModelInferResponse> ModelInfer(ModelInferRequest message, ServerCallContext context)
    {
        var arrival = time.GetTimestamp();
        using var request = new InferenceRequest();
        var warmup = IsWarmupCall(context);
        try
        {
            ModelRoutes.EnsureServed(scheduler.Metadata, message.ModelName, Version(message.ModelVersion));
            AcceptanceCheck.EnsureAccepting(state, message.ModelName, warmup);
            if (!warmup) rateLimiting.Acquire(context.GetHttpContext());
            var rawInputs = GrpcRequestDecoder.Decode(message, scheduler.Metadata, scheduler.MaxBatchSize, scheduler.Queue.PriorityLevels, request);
            ApplyDeadline(context.Deadline, request);
            // Warm-up calls neither read nor fill the cache: they must reach the model.
            var directives = warmup ? CacheDirectives.Bypass : CacheDirectives.From(context.GetHttpContext().Request.Headers);
            var outputs = await inference.RunAsync(request, arrival, directives, context.CancellationToken);
            ModelInferResponse response;
            try
            {
                response = GrpcResponseEncoder.Encode(scheduler.Metadata, request, outputs, rawInputs);
            }
            finally
            {
                foreach (var output in outputs) output.Release();
            }
            if (!warmup)
            {
                metrics.CountResponse(StatusCodes.Status200OK);
                metrics.RequestDuration.Observe(time.GetElapsedTime(arrival).TotalSeconds);
            }
            return response;
        }
        catch (InferenceError error)
        {
            throw Refuse(CallDeadlinePassed(error, context) ? DeadlinePassed(arrival) : error, warmup);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw Refuse(CallDeadlinePassed(ScheduledRun.ClientGone, context) ? DeadlinePassed(arrival) : ScheduledRun.ClientGone, warmup);
        }
        catch (Exception e)
        {
            // A defect, not a client error: answer with a status and keep serving.
            logger.LogError(e, "gRPC inference request failed unexpectedly");
            throw Refuse(new InferenceError(StatusCodes.Status500InternalServerError, $"internal error: {e.Message}"), warmup);
        }
    }

    private bool IsWarmupCall(ServerCallContext context) =>
        context.RequestHeaders.GetValue(HttpWarmup.TokenHeader.ToLowerInvariant()) is { } token && token == state.WarmupToken;

    private RpcException Refuse(InferenceError error, bool warmup)
    {
        if (!warmup)
        {
            if (error.RejectionReason is { } reason) metrics.CountRejection(reason);
            metrics.CountResponse(error.StatusCode);
        }
        if (error.StatusCode >= 500 && !ReferenceEquals(error, ScheduledRun.ClientGone))
            logger.LogWarning("gRPC inference request answered {Status}: {Message}", error.StatusCode, error.Message);
        var retryAfter = error.RetryAfterSeconds ?? error.StatusCode switch
        {
            StatusCodes.Status429TooManyRequests => scheduler.EstimateRetryAfterSeconds(),
            StatusCodes.Status503ServiceUnavailable => 1,
            _ => (int?)null,
        };
        return GrpcErrors.ToRpcException(error, retryAfter);
    }

    /// <summary>
    /// The call's deadline becomes the request's: the server's default deadline applies too, and
    /// whichever is nearer wins. A call already past its deadline is not admitted.
    /// </summary>
    private void ApplyDeadline(DateTime deadline, InferenceRequest request)
    {
        if (deadline == DateTime.MaxValue) return;
        var remaining = deadline - time.GetUtcNow().UtcDateTime;
        if (remaining <= TimeSpan.Zero)
            throw new InferenceError(StatusCodes.Status504GatewayTimeout, "the call's deadline passed before it was admitted; it was not computed", PodMetrics.Reasons.Deadline);
        var microseconds = (long)Math.Ceiling(remaining.TotalMicroseconds);
        if (request.TimeoutMicroseconds == 0 || microseconds < request.TimeoutMicroseconds) request.TimeoutMicroseconds = microseconds;
    }

    /// <summary>The server cancels a call at its deadline; that is a deadline, not a client that left.</summary>
    private bool CallDeadlinePassed(InferenceError error, ServerCallContext context) =>
        ReferenceEquals(error, ScheduledRun.ClientGone) && context.Deadline != DateTime.MaxValue && context.Deadline <= time.GetUtcNow().UtcDateTime;

    private InferenceError DeadlinePassed(long arrival) => new(StatusCodes.Status504GatewayTimeout,
        $"the call's deadline passed after {time.GetElapsedTime(arrival).TotalMilliseconds:F0} ms, before its outputs were ready", PodMetrics.Reasons.Deadline);

    private void EnsureServed(string name, string version)
    {
        try
        {
            ModelRoutes.EnsureServed(scheduler.Metadata, name, Version(version));
        }
        catch (InferenceError error)
        {
            throw GrpcErrors.ToRpcException(error, null);
        }
    }

    private static string? Version(string version) => version.Length == 0 ? null : version;

    private static ModelMetadataResponse ModelMetadataOf(ModelMetadata model)
    {
        var response = new ModelMetadataResponse { Name = model.Name, Versions = { model.Version }, Platform = MetadataDocuments.ModelPlatform };
        response.Inputs.AddRange(model.Inputs.Select(Tensor));
        response.Outputs.AddRange(model.Outputs.Select(Tensor));
        return response;
    }

    private static ModelMetadataResponse.Types.TensorMetadata Tensor(TensorSpec spec) =>
        new() { Name = spec.Name, Datatype = spec.DataType.ToProtocolName(), Shape = { spec.Shape } };
}
