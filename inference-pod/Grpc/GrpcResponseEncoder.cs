using Google.Protobuf;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Grpc;

/// <summary>
/// Builds a gRPC <c>ModelInferResponse</c> from a request's outputs. The outputs travel raw
/// (<c>raw_output_contents</c>) when the inputs came raw, when the client asked for binary
/// outputs, or when an output has no typed field (FP16, BF16); otherwise in typed contents.
/// The protocol allows one form per response, so it is all raw or all typed.
/// </summary>
public static class GrpcResponseEncoder
{
    public static ModelInferResponse Encode(ModelMetadata model, InferenceRequest request, OutputTensor[] outputs, bool rawInputs)
    {
        var count = request.Outputs?.Length ?? outputs.Length;
        var raw = rawInputs || request.BinaryOutputs;
        for (var s = 0; s < count && !raw; s++)
        {
            var (index, binary) = Selected(request, s);
            raw = binary || TypedContents.FieldName(outputs[index].DataType) is null;
        }
        var response = new ModelInferResponse
        {
            ModelName = model.Name,
            ModelVersion = model.Version,
            Id = request.Id ?? "",
        };
        for (var s = 0; s < count; s++)
        {
            var (index, _) = Selected(request, s);
            var output = outputs[index];
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = model.OutputNames[index], Datatype = output.DataType.ToProtocolName() };
            tensor.Shape.AddRange(output.Shape);
            if (raw) response.RawOutputContents.Add(ByteString.CopyFrom(output.Data));
            else tensor.Contents = TypedContents.Encode(output.DataType, output.Data);
            response.Outputs.Add(tensor);
        }
        return response;
    }

    /// <summary>The s-th output to return (all outputs when the request names none) and whether it asked for binary.</summary>
    private static (int Index, bool Binary) Selected(InferenceRequest request, int s) => request.Outputs is null
        ? (s, false)
        : (request.Outputs[s].OutputIndex, request.Outputs[s].Binary);
}
