using Grpc.Core;
using Platform.Contracts;
using Platform.InferencePod.Caching;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;
using Platform.InferencePod.Pipeline;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Grpc;

/// <summary>
/// The Open Inference Protocol over gRPC (<c>inference.GRPCInferenceService</c>). ModelInfer is
/// an adapter over the pipeline, as REST infer is: decode the message, the call's deadline as
/// the transport's deadline, <see cref="InferencePipeline.InferAsync"/>, encode; refusals map to
/// gRPC status codes in <see cref="GrpcErrors"/>, with the same Retry-After as REST.
/// Bound to its routes by <see cref="V2GrpcMethodProvider"/>.
/// </summary>
public sealed class V2GrpcService(InferencePipeline pipeline, PodState state, WarmupConnections warmup, TimeProvider time)
{
    private readonly ModelMetadataResponse _modelMetadata = ModelMetadataOf(pipeline.Metadata);
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
        var http = context.GetHttpContext();
        var arrival = time.GetTimestamp();
        var call = new CallContext
        {
            Model = message.ModelName,
            Version = Version(message.ModelVersion),
            ArrivalTimestamp = arrival,
            TransportDeadlineTimestamp = DeadlineTimestamp(context.Deadline, arrival),
            ClientKey = pipeline.Quotas.ClientKeyOf(http),
            Cache = CacheDirectives.From(http.Request.Headers),
            Warmup = warmup.IsWarmup(http.Connection.RemoteIpAddress, http.Connection.RemotePort),
            Aborted = context.CancellationToken,
            // The message arrived whole before the call began.
            BodyReceivedTimestamp = arrival,
        };
        using var request = new InferenceRequest();
        var rawInputs = false;
        var status = StatusCodes.Status200OK;
        try
        {
            var outputs = await pipeline.InferAsync(request, call, (r, _) =>
            {
                rawInputs = GrpcRequestDecoder.Decode(message, pipeline.Metadata, pipeline.MaxBatchSize, pipeline.PriorityLevels, r);
                return ValueTask.CompletedTask;
            });
            try
            {
                pipeline.Quotas.WriteHeaders(http.Response, call.Quota);
                return GrpcResponseEncoder.Encode(pipeline.Metadata, request, outputs, rawInputs);
            }
            finally
            {
                foreach (var output in outputs) output.Release();
            }
        }
        catch (InferenceError error)
        {
            status = error.StatusCode;
            pipeline.Quotas.WriteHeaders(http.Response, call.Quota);
            throw GrpcErrors.ToRpcException(error, pipeline.RetryAfterSeconds(error));
        }
        catch (Exception e)
        {
            var error = pipeline.ErrorOf(e, call);
            pipeline.Refused(error);
            status = error.StatusCode;
            throw GrpcErrors.ToRpcException(error, pipeline.RetryAfterSeconds(error));
        }
        finally
        {
            pipeline.Record(call, status);
        }
    }

    /// <summary>The call's deadline as a timestamp on the pipeline's clock; <see cref="long.MaxValue"/> when it has none.</summary>
    private long DeadlineTimestamp(DateTime deadline, long now)
    {
        if (deadline == DateTime.MaxValue) return long.MaxValue;
        var remaining = deadline - time.GetUtcNow().UtcDateTime;
        if (remaining <= TimeSpan.Zero) return now;
        return remaining.TotalSeconds * time.TimestampFrequency >= long.MaxValue - now ? long.MaxValue : now + (long)(remaining.TotalSeconds * time.TimestampFrequency);
    }

    private void EnsureServed(string name, string version)
    {
        try
        {
            ModelRoutes.EnsureServed(pipeline.Metadata, name, Version(version));
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
