using System.Diagnostics.CodeAnalysis;
using Platform.Contracts;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// The checks of an inference request against the model that every wire format shares (REST
/// JSON, binary extension, gRPC), with the same 400 messages whichever format carried it.
/// </summary>
public static class RequestValidation
{
    /// <summary>Most dimensions an input shape may have.</summary>
    public const int MaxRank = 16;

    public static InferenceError UnsupportedDataType(string? input, string dataType) =>
        InferenceError.BadRequest($"input '{input}': datatype '{dataType}' is not supported (use BOOL, UINT8..UINT64, INT8..INT64, FP16, BF16, FP32 or FP64)");

    public static InferenceError NegativeDimension(string? input) =>
        InferenceError.BadRequest($"input '{input}': 'shape' must be an array of non-negative integers");

    public static InferenceError TooManyDimensions(string? input) =>
        InferenceError.BadRequest($"input '{input}': 'shape' has more than {MaxRank} dimensions");

    /// <summary>
    /// Checks an input's name, datatype and shape against the model and the inputs seen so far.
    /// Returns the input's index in the model, its element count and its size in bytes.
    /// </summary>
    public static (int Index, long Elements, int Bytes) ResolveInput(ModelMetadata model, [NotNull] string? name, [NotNull] TensorDataType? dataType, [NotNull] long[]? shape, int maxBatchSize, RequestTensor?[] inputs)
    {
        if (name is null) throw InferenceError.BadRequest("an input has no 'name'");
        var index = model.InputIndex(name);
        if (index < 0) throw InferenceError.BadRequest($"unknown input '{name}' (the model's inputs: {string.Join(", ", model.InputNames)})");
        if (inputs[index] is not null) throw InferenceError.BadRequest($"input '{name}' appears more than once");
        var spec = model.Inputs[index];
        if (dataType is null) throw InferenceError.BadRequest($"input '{name}' has no 'datatype'");
        if (dataType != spec.DataType)
            throw InferenceError.BadRequest($"input '{name}' has datatype {dataType.Value.ToProtocolName()} but the model expects {spec.DataType.ToProtocolName()}");
        if (shape is null) throw InferenceError.BadRequest($"input '{name}' has no 'shape'");
        ValidateShape(spec, shape, model.SupportsBatching, maxBatchSize);

        var elements = ElementCount(shape, name);
        var bytes = elements * spec.DataType.ElementSize();
        if (bytes > int.MaxValue) throw InferenceError.BadRequest($"input '{name}' with shape {RequestDecoder.Format(shape)} is too large");
        return (index, elements, (int)bytes);
    }

    /// <summary>Every model input must be present.</summary>
    public static void EnsureAllPresent(ModelMetadata model, RequestTensor?[] inputs)
    {
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is null)
                throw InferenceError.BadRequest($"missing input '{model.Inputs[i].Name}' (the model's inputs: {string.Join(", ", model.InputNames)})");
        }
    }

    /// <summary>Hands the complete inputs to the request and checks that they agree on the batch size.</summary>
    public static void SetInputs(InferenceRequest request, ModelMetadata model, RequestTensor?[] inputs)
    {
        EnsureAllPresent(model, inputs);
        request.Inputs = inputs!;
        request.Rows = model.SupportsBatching ? (int)request.Inputs[0].Shape[0] : 1;
        if (!model.SupportsBatching) return;
        foreach (var input in request.Inputs)
        {
            if (input.Shape[0] != request.Rows)
                throw InferenceError.BadRequest($"inputs disagree on the batch size: '{request.Inputs[0].Name}' has {request.Rows} rows, '{input.Name}' has {input.Shape[0]}");
        }
    }

    /// <summary>The priority parameter; null when it is not an integer.</summary>
    public static int Priority(long? value, int priorityLevels)
    {
        if (value is not { } priority || priority < 0 || priority > priorityLevels)
            throw InferenceError.BadRequest($"parameter '{InferenceProtocol.PriorityParameter}' must be an integer from 0 (default) to {priorityLevels}; 1 is the highest");
        return (int)priority;
    }

    /// <summary>The timeout parameter in microseconds; null when it is not an integer.</summary>
    public static long Timeout(long? value)
    {
        if (value is not { } timeout || timeout < 0)
            throw InferenceError.BadRequest($"parameter '{InferenceProtocol.TimeoutParameter}' must be a non-negative integer (microseconds)");
        return timeout;
    }

    /// <summary>A boolean parameter; null when it is not a boolean.</summary>
    public static bool Boolean(bool? value, string parameter) =>
        value ?? throw InferenceError.BadRequest($"parameter '{parameter}' must be true or false");

    public static InferenceError ClassificationUnsupported() => InferenceError.BadRequest("the classification extension is not supported");

    /// <summary>The index of a requested output in the model's outputs.</summary>
    public static int OutputIndex(ModelMetadata model, string? name)
    {
        if (name is null) throw InferenceError.BadRequest("an output has no 'name'");
        var index = model.OutputIndex(name);
        if (index < 0) throw InferenceError.BadRequest($"unknown output '{name}' (the model's outputs: {string.Join(", ", model.OutputNames)})");
        return index;
    }

    private static void ValidateShape(TensorSpec spec, long[] shape, bool batching, int maxBatchSize)
    {
        if (shape.Length != spec.Shape.Length)
            throw InferenceError.BadRequest($"input '{spec.Name}' has shape {RequestDecoder.Format(shape)} but the model expects {RequestDecoder.Format(spec.Shape)} (-1 is any size)");
        for (var d = 0; d < shape.Length; d++)
        {
            if (spec.Shape[d] >= 0 && spec.Shape[d] != shape[d])
                throw InferenceError.BadRequest($"input '{spec.Name}' has shape {RequestDecoder.Format(shape)} but the model expects {RequestDecoder.Format(spec.Shape)} (-1 is any size)");
        }
        if (batching && (shape[0] < 1 || shape[0] > maxBatchSize))
            throw InferenceError.BadRequest($"input '{spec.Name}' has batch size {shape[0]}; it must be between 1 and {maxBatchSize}, the most rows one request may hold ({PodSettings.BatchingMaxBatchSize}; for jobs, {PodSettings.JobsMaxRows})");
    }

    private static long ElementCount(long[] shape, string name)
    {
        long count = 1;
        try
        {
            foreach (var d in shape) count = checked(count * d);
        }
        catch (OverflowException)
        {
            throw InferenceError.BadRequest($"input '{name}' with shape {RequestDecoder.Format(shape)} is too large");
        }
        return count;
    }
}
