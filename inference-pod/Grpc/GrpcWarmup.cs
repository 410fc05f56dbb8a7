using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;
using Platform.InferencePod.Pipeline;

namespace Platform.InferencePod.Grpc;

/// <summary>
/// Sends the pod's own gRPC endpoint real ModelInfer calls over loopback before it turns
/// ready, as <see cref="HttpWarmup"/> does for REST, so the first client call over gRPC does
/// not pay for compiling the HTTP/2 and protobuf path. The calls carry the warm-up token,
/// which lets them through before readiness and keeps them out of metrics and quotas.
/// </summary>
public static class GrpcWarmup
{
    public const int Iterations = 16;

    public static async Task RunAsync(ListenEndpoints endpoints, WarmupConnections warmup, ModelMetadata model, ILogger logger, CancellationToken cancellationToken)
    {
        var address = endpoints.GrpcLoopbackAddress;
        if (address is null) return;
        var call = new CallOptions(cancellationToken: cancellationToken);
        try
        {
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null, HttpHandler = warmup.CreateHandler(), DisposeHttpClient = true });
            var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
            var request = Request(model);
            for (var i = 0; i < Iterations && !cancellationToken.IsCancellationRequested; i++)
            {
                await client.ModelInferAsync(request, call.WithDeadline(DateTime.UtcNow.AddSeconds(30)));
                await client.ServerReadyAsync(new ServerReadyRequest(), call);
            }
        }
        catch (Exception e) when (e is RpcException or HttpRequestException or OperationCanceledException)
        {
            // Warming the gRPC path is an optimisation: readiness must not depend on it.
            logger.LogWarning("gRPC warm-up over {Address} failed: {Error}", address, e.Message);
        }
    }

    /// <summary>A one-row request of the model's declared shapes, in raw form.</summary>
    private static ModelInferRequest Request(ModelMetadata model)
    {
        using var template = SyntheticRequests.Request(model, seed: 0);
        var request = new ModelInferRequest { ModelName = model.Name, Id = "warm-up" };
        foreach (var input in template.Inputs)
        {
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = input.DataType.ToProtocolName() };
            tensor.Shape.AddRange(input.Shape);
            request.Inputs.Add(tensor);
            request.RawInputContents.Add(ByteString.CopyFrom(input.Data.Span));
        }
        return request;
    }
}
