using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Platform.Contracts;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Grpc;

/// <summary>
/// Binds the methods of <c>inference.GRPCInferenceService</c> to <see cref="V2GrpcService"/>.
/// Bound here rather than through generated server code so that a request that is not a valid
/// protobuf message is answered InvalidArgument with the parser's reason, not Unknown.
/// </summary>
public sealed class V2GrpcMethodProvider : IServiceMethodProvider<V2GrpcService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<V2GrpcService> context)
    {
        Add<ServerLiveRequest, ServerLiveResponse>(context, "ServerLive", static (service, request, call) => service.ServerLive(request, call));
        Add<ServerReadyRequest, ServerReadyResponse>(context, "ServerReady", static (service, request, call) => service.ServerReady(request, call));
        Add<ModelReadyRequest, ModelReadyResponse>(context, "ModelReady", static (service, request, call) => service.ModelReady(request, call));
        Add<ServerMetadataRequest, ServerMetadataResponse>(context, "ServerMetadata", static (service, request, call) => service.ServerMetadata(request, call));
        Add<ModelMetadataRequest, ModelMetadataResponse>(context, "ModelMetadata", static (service, request, call) => service.ModelMetadata(request, call));
        Add<ModelInferRequest, ModelInferResponse>(context, "ModelInfer", static (service, request, call) => service.ModelInfer(request, call));
    }

    private static void Add<TRequest, TResponse>(ServiceMethodProviderContext<V2GrpcService> context, string name, UnaryServerMethod<V2GrpcService, TRequest, TResponse> invoker)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = new Method<TRequest, TResponse>(MethodType.Unary, InferenceProtocol.GrpcServiceName, name, MarshallerOf<TRequest>(), MarshallerOf<TResponse>());
        context.AddUnaryMethod(method, [], invoker);
    }

    private static Marshaller<T> MarshallerOf<T>() where T : class, IMessage<T>, new()
    {
        var parser = new MessageParser<T>(static () => new T());
        return Marshallers.Create<T>(
            static (message, serialization) =>
            {
                serialization.SetPayloadLength(message.CalculateSize());
                message.WriteTo(serialization.GetBufferWriter());
                serialization.Complete();
            },
            deserialization =>
            {
                try
                {
                    return parser.ParseFrom(deserialization.PayloadAsReadOnlySequence());
                }
                catch (InvalidProtocolBufferException e)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"the request is not a valid {new T().Descriptor.FullName} message: {e.Message}"));
                }
            });
    }
}
