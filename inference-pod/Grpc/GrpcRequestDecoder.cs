using System.Text;
using Google.Protobuf.Collections;
using Platform.Contracts;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Grpc;

/// <summary>
/// Turns a gRPC <c>ModelInferRequest</c> into the neutral <see cref="InferenceRequest"/> with the
/// same checks and messages as REST (<see cref="RequestValidation"/>). Raw input contents are
/// used in place, without a copy; typed contents are converted into pooled buffers.
/// </summary>
public static class GrpcRequestDecoder
{
    /// <summary>Decodes <paramref name="message"/> into <paramref name="request"/>; returns whether the inputs came raw.</summary>
    public static bool Decode(ModelInferRequest message, ModelMetadata model, int maxBatchSize, int priorityLevels, InferenceRequest request)
    {
        if (message.Id.Length > 0) request.Id = message.Id;
        DecodeParameters(message.Parameters, priorityLevels, request);
        var raw = message.RawInputContents;
        var isRaw = raw.Count > 0;
        if (isRaw && raw.Count != message.Inputs.Count)
            throw InferenceError.BadRequest($"raw_input_contents has {raw.Count} entries but the request has {message.Inputs.Count} inputs; give one per input, in the order of 'inputs'");

        var inputs = new RequestTensor?[model.Inputs.Count];
        for (var i = 0; i < message.Inputs.Count; i++)
        {
            var input = message.Inputs[i];
            var name = input.Name.Length > 0 ? input.Name : null;
            var shape = Shape(input.Shape, name);
            var (index, elements, bytes) = RequestValidation.ResolveInput(model, name, DataType(input.Datatype, name), shape, maxBatchSize, inputs);
            var spec = model.Inputs[index];
            ReadOnlyMemory<byte> data;
            if (isRaw)
            {
                if (input.Contents is not null)
                    throw InferenceError.BadRequest($"input '{name}' has typed contents but the request uses raw_input_contents; use one or the other for all inputs");
                if (raw[i].Length != bytes)
                    throw InferenceError.BadRequest($"input '{name}': raw_input_contents[{i}] has {raw[i].Length} bytes but shape {RequestDecoder.Format(shape)} of {spec.DataType.ToProtocolName()} needs {bytes} bytes");
                data = raw[i].Memory;
            }
            else
            {
                data = TypedContents.Decode(input.Contents, spec.DataType, elements, bytes, name, shape, request);
            }
            inputs[index] = new RequestTensor(spec.Name, spec.DataType, shape, data);
        }
        RequestValidation.SetInputs(request, model, inputs);
        if (message.Outputs.Count > 0) request.Outputs = Outputs(message.Outputs, model);
        return isRaw;
    }

    private static TensorDataType? DataType(string text, string? input)
    {
        if (text.Length == 0) return null;
        Span<byte> utf8 = stackalloc byte[16];
        if (text.Length > utf8.Length || !Encoding.UTF8.TryGetBytes(text, utf8, out var length) || !TensorDataTypes.TryParse(utf8[..length], out var type))
            throw RequestValidation.UnsupportedDataType(input, text);
        return type;
    }

    private static long[] Shape(RepeatedField<long> dims, string? input)
    {
        if (dims.Count > RequestValidation.MaxRank) throw RequestValidation.TooManyDimensions(input);
        var shape = new long[dims.Count];
        for (var d = 0; d < shape.Length; d++)
        {
            if (dims[d] < 0) throw RequestValidation.NegativeDimension(input);
            shape[d] = dims[d];
        }
        return shape;
    }

    private static void DecodeParameters(MapField<string, InferParameter> parameters, int priorityLevels, InferenceRequest request)
    {
        foreach (var (key, value) in parameters)
        {
            switch (key)
            {
                case InferenceProtocol.PriorityParameter:
                    request.Priority = RequestValidation.Priority(Int64(value), priorityLevels);
                    break;
                case InferenceProtocol.TimeoutParameter:
                    request.TimeoutMicroseconds = RequestValidation.Timeout(Int64(value));
                    break;
                case InferenceProtocol.BinaryDataOutputParameter:
                    request.BinaryOutputs = RequestValidation.Boolean(Bool(value), InferenceProtocol.BinaryDataOutputParameter);
                    break;
            }
        }
    }

    private static RequestedOutput[] Outputs(RepeatedField<ModelInferRequest.Types.InferRequestedOutputTensor> requested, ModelMetadata model)
    {
        var outputs = new RequestedOutput[requested.Count];
        for (var i = 0; i < outputs.Length; i++)
        {
            var output = requested[i];
            var binary = false;
            foreach (var (key, value) in output.Parameters)
            {
                if (key == InferenceProtocol.BinaryDataParameter) binary = RequestValidation.Boolean(Bool(value), InferenceProtocol.BinaryDataParameter);
                else if (key == "classification") throw RequestValidation.ClassificationUnsupported();
            }
            outputs[i] = new RequestedOutput(RequestValidation.OutputIndex(model, output.Name.Length > 0 ? output.Name : null), binary);
        }
        return outputs;
    }

    private static long? Int64(InferParameter? value) =>
        value?.ParameterChoiceCase == InferParameter.ParameterChoiceOneofCase.Int64Param ? value.Int64Param : null;

    private static bool? Bool(InferParameter? value) =>
        value?.ParameterChoiceCase == InferParameter.ParameterChoiceOneofCase.BoolParam ? value.BoolParam : null;
}
