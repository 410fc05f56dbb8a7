using System.Runtime.InteropServices;
using Google.Protobuf;
using Grpc.Core;
using Platform.InferencePod.Grpc.V2;

namespace Platform.InferencePod.TestSupport;

/// <summary>Builds V2 gRPC inference requests for the tests, raw and typed.</summary>
public static class GrpcRequests
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    /// <summary>ModelInfer with any bytes as the request message, to send what a generated client cannot.</summary>
    public static readonly Method<byte[], byte[]> ModelInferBytes = new(MethodType.Unary, "inference.GRPCInferenceService", "ModelInfer", Bytes, Bytes);

    public static ModelInferRequest Raw(string model, string input, long[] shape, float[] data, string datatype = "FP32")
    {
        var request = new ModelInferRequest { ModelName = model, Id = "g-1" };
        request.Inputs.Add(Input(input, datatype, shape));
        request.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan())));
        return request;
    }

    public static ModelInferRequest Typed(string model, string input, long[] shape, float[] data)
    {
        var request = new ModelInferRequest { ModelName = model, Id = "g-2" };
        var tensor = Input(input, "FP32", shape);
        tensor.Contents = new InferTensorContents();
        tensor.Contents.Fp32Contents.AddRange(data);
        request.Inputs.Add(tensor);
        return request;
    }

    public static ModelInferRequest.Types.InferInputTensor Input(string name, string datatype, long[] shape)
    {
        var tensor = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = datatype };
        tensor.Shape.AddRange(shape);
        return tensor;
    }

    /// <summary>The first output as floats, from raw_output_contents or fp32_contents, whichever the response used.</summary>
    public static float[] FirstOutput(ModelInferResponse response) => response.RawOutputContents.Count > 0
        ? MemoryMarshal.Cast<byte, float>(response.RawOutputContents[0].Span).ToArray()
        : response.Outputs[0].Contents.Fp32Contents.ToArray();
}
