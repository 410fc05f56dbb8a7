using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Platform.Contracts;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// Decodes a V2 inference request (JSON, optionally followed by binary tensor data) straight
/// into raw tensor buffers, validating it against the model as it goes. Each problem becomes
/// a 400 whose message names the input and says what is wrong.
/// </summary>
public static class RequestDecoder
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <param name="body">The whole body; the request keeps slices of its binary part.</param>
    /// <param name="jsonLength">Length of the JSON header (the whole body without the binary extension).</param>
    public static void Decode(ReadOnlyMemory<byte> body, int jsonLength, ModelMetadata model, int maxBatchSize, int priorityLevels, InferenceRequest request)
    {
        if (!TryDecode(body, jsonLength, model, maxBatchSize, priorityLevels, request, fast: true))
            TryDecode(body, jsonLength, model, maxBatchSize, priorityLevels, request, fast: false);
    }

    /// <summary>
    /// Decodes the request; with <paramref name="fast"/>, data arrays go through <see cref="JsonTensorData"/>
    /// and the reader resumes after them. Returns false (nothing thrown) when such a request is not valid
    /// JSON: a reader that resumed past skipped text reports the wrong line and byte, so the caller
    /// decodes it again without the fast path for the error message.
    /// </summary>
    private static bool TryDecode(ReadOnlyMemory<byte> body, int jsonLength, ModelMetadata model, int maxBatchSize, int priorityLevels, InferenceRequest request, bool fast)
    {
        var json = body.Span[..jsonLength];
        var binary = body[jsonLength..];
        var inputs = new RequestTensor?[model.Inputs.Count];
        var binaryOffset = 0;
        // Where in json the reader's text starts (past 0 once it resumed after a fast-decoded array).
        var readerStart = fast ? 0 : -1;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw InferenceError.BadRequest("request body must be a JSON object");
            while (ReadProperty(ref reader, out var property))
            {
                if (property.SequenceEqual("inputs"u8))
                {
                    Expect(ref reader, JsonTokenType.StartArray, "'inputs' must be an array");
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        DecodeInput(ref reader, ref readerStart, json, binary, ref binaryOffset, model, maxBatchSize, inputs, request);
                    }
                }
                else if (property.SequenceEqual("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String) throw InferenceError.BadRequest("'id' must be a string");
                    request.Id = reader.GetString();
                }
                else if (property.SequenceEqual("parameters"u8))
                {
                    DecodeRequestParameters(ref reader, priorityLevels, request);
                }
                else if (property.SequenceEqual("outputs"u8))
                {
                    DecodeOutputs(ref reader, model, request);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.Read()) throw InferenceError.BadRequest("unexpected data after the request's JSON object");
        }
        catch (JsonException e)
        {
            if (readerStart > 0) return false;
            throw JsonErrors.NotJson(json, e);
        }
        catch (InvalidOperationException)
        {
            // Raised when a JSON string holds bytes that are not UTF-8.
            throw JsonErrors.NotUtf8();
        }
        RequestValidation.EnsureAllPresent(model, inputs);
        if (binaryOffset != binary.Length)
            throw InferenceError.BadRequest($"the body has {binary.Length} bytes of binary data but the inputs declare {binaryOffset} (binary_data_size)");
        RequestValidation.SetInputs(request, model, inputs);
        return true;
    }

    private static bool ReadProperty(ref Utf8JsonReader reader, out ReadOnlySpan<byte> name)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
        {
            name = default;
            return false;
        }
        name = reader.ValueSpan;
        return true;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string message)
    {
        if (!reader.Read() || reader.TokenType != type) throw InferenceError.BadRequest(message);
    }

    /// <param name="readerStart">Where in <paramref name="json"/> the reader's text starts; -1 without the fast path.</param>
    private static void DecodeInput(ref Utf8JsonReader reader, ref int readerStart, ReadOnlySpan<byte> json, ReadOnlyMemory<byte> binary, ref int binaryOffset,
        ModelMetadata model, int maxBatchSize, RequestTensor?[] inputs, InferenceRequest request)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw InferenceError.BadRequest("each entry of 'inputs' must be an object");
        string? name = null;
        TensorDataType? dataType = null;
        long[]? shape = null;
        var dataStart = -1;
        // The data array already in the tensor buffer (fast path); null when it is still to decode.
        byte[]? decoded = null;
        long binarySize = -1;
        while (ReadProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("name"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) throw InferenceError.BadRequest("an input's 'name' must be a string");
                name = reader.GetString();
                decoded = null;
            }
            else if (property.SequenceEqual("datatype"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) throw InferenceError.BadRequest($"input '{name}': 'datatype' must be a string");
                if (!TensorDataTypes.TryParse(reader.ValueSpan, out var parsed))
                    throw RequestValidation.UnsupportedDataType(name, reader.GetString()!);
                dataType = parsed;
                decoded = null;
            }
            else if (property.SequenceEqual("shape"u8))
            {
                shape = DecodeShape(ref reader, name);
                decoded = null;
            }
            else if (property.SequenceEqual("data"u8))
            {
                reader.Read();
                if (readerStart < 0)
                {
                    dataStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                }
                else
                {
                    dataStart = readerStart + (int)reader.TokenStartIndex;
                    decoded = TryDecodeData(ref reader, ref readerStart, json, dataStart, model, name, dataType, shape, maxBatchSize, inputs, request);
                }
            }
            else if (property.SequenceEqual("parameters"u8))
            {
                binarySize = DecodeTensorParameters(ref reader, name);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var (index, elements, bytes) = RequestValidation.ResolveInput(model, name, dataType, shape, maxBatchSize, inputs);
        var spec = model.Inputs[index];
        ReadOnlyMemory<byte> data;
        if (binarySize >= 0)
        {
            if (dataStart >= 0) throw InferenceError.BadRequest($"input '{name}' has both 'data' and binary_data_size");
            if (binarySize != bytes)
                throw InferenceError.BadRequest($"input '{name}': binary_data_size is {binarySize} but shape {Format(shape)} of {spec.DataType.ToProtocolName()} needs {bytes} bytes");
            if (binaryOffset + bytes > binary.Length)
                throw InferenceError.BadRequest($"input '{name}' needs {bytes} bytes of binary data but only {binary.Length - binaryOffset} remain in the body");
            data = binary.Slice(binaryOffset, bytes);
            binaryOffset += bytes;
        }
        else if (decoded is not null)
        {
            data = decoded.AsMemory(0, bytes);
        }
        else if (dataStart >= 0)
        {
            var buffer = request.RentBuffer(Math.Max(bytes, 1));
            if (readerStart < 0 || !JsonTensorData.TryDecode(json, dataStart, spec.DataType, elements, buffer.AsSpan(0, bytes), out _))
                DecodeData(json[dataStart..], spec.DataType, elements, name, shape, buffer.AsSpan(0, bytes));
            data = buffer.AsMemory(0, bytes);
        }
        else
        {
            throw InferenceError.BadRequest($"input '{name}' has neither 'data' nor binary_data_size");
        }
        inputs[index] = new RequestTensor(spec.Name, spec.DataType, shape, data);
    }

    /// <summary>
    /// The fast path for a data array, the reader on its '[': when the input is already known to be
    /// valid (name, datatype and shape came first) decodes it into a tensor buffer and returns that;
    /// otherwise only checks it (decoded once the input is known). Either way the reader resumes
    /// at the array's ']'. When the fast path declines, the reader skips the array as usual.
    /// </summary>
    private static byte[]? TryDecodeData(ref Utf8JsonReader reader, ref int readerStart, ReadOnlySpan<byte> json, int dataStart,
        ModelMetadata model, string? name, TensorDataType? dataType, long[]? shape, int maxBatchSize, RequestTensor?[] inputs, InferenceRequest request)
    {
        byte[]? buffer = null;
        int end;
        if (Known(model, name, dataType, shape, maxBatchSize, inputs) is var (type, elements, bytes) && bytes >= 0)
        {
            buffer = request.RentBuffer(Math.Max(bytes, 1));
            if (!JsonTensorData.TryDecode(json, dataStart, type, elements, buffer.AsSpan(0, bytes), out end))
            {
                buffer = null;
                if (!JsonTensorData.TrySkip(json, dataStart, out end)) end = -1;
            }
        }
        else if (!JsonTensorData.TrySkip(json, dataStart, out end))
        {
            end = -1;
        }
        if (end < 0)
        {
            reader.Skip();
            return null;
        }
        // Resume as if the array were empty: a reader with the state after its '[' reading on from its ']'.
        reader = new Utf8JsonReader(json[end..], isFinalBlock: true, reader.CurrentState);
        readerStart = end;
        reader.Read();
        return buffer;
    }

    /// <summary>The input's datatype, element count and byte size when it would pass validation as it stands; bytes -1 otherwise.</summary>
    private static (TensorDataType Type, long Elements, int Bytes) Known(ModelMetadata model, string? name, TensorDataType? dataType, long[]? shape, int maxBatchSize, RequestTensor?[] inputs)
    {
        if (name is null || dataType is null || shape is null) return (default, 0, -1);
        try
        {
            var (_, elements, bytes) = RequestValidation.ResolveInput(model, name, dataType, shape, maxBatchSize, inputs);
            return (dataType.Value, elements, bytes);
        }
        catch (InferenceError)
        {
            // Reported, in its turn, once all of the input's properties are read.
            return (default, 0, -1);
        }
    }

    private static long[] DecodeShape(ref Utf8JsonReader reader, string? name)
    {
        Expect(ref reader, JsonTokenType.StartArray, $"input '{name}': 'shape' must be an array of integers");
        Span<long> dims = stackalloc long[RequestValidation.MaxRank];
        var rank = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dim) || dim < 0)
                throw RequestValidation.NegativeDimension(name);
            if (rank == dims.Length) throw RequestValidation.TooManyDimensions(name);
            dims[rank++] = dim;
        }
        return dims[..rank].ToArray();
    }

    private static long DecodeTensorParameters(ref Utf8JsonReader reader, string? name)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"input '{name}': 'parameters' must be an object");
        long binarySize = -1;
        while (ReadProperty(ref reader, out var property))
        {
            reader.Read();
            if (property.SequenceEqual("binary_data_size"u8))
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out binarySize) || binarySize < 0)
                    throw InferenceError.BadRequest($"input '{name}': binary_data_size must be a non-negative integer");
            }
            else
            {
                reader.Skip();
            }
        }
        return binarySize;
    }

    internal static void DecodeRequestParameters(ref Utf8JsonReader reader, int priorityLevels, InferenceRequest request)
    {
        Expect(ref reader, JsonTokenType.StartObject, "'parameters' must be an object");
        while (ReadProperty(ref reader, out var property))
        {
            reader.Read();
            if (property.SequenceEqual("priority"u8))
            {
                request.Priority = RequestValidation.Priority(reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var priority) ? priority : null, priorityLevels);
            }
            else if (property.SequenceEqual("timeout"u8))
            {
                request.TimeoutMicroseconds = RequestValidation.Timeout(reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var timeout) ? timeout : null);
            }
            else if (property.SequenceEqual("binary_data_output"u8))
            {
                request.BinaryOutputs = ReadBool(ref reader, InferenceProtocol.BinaryDataOutputParameter);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void DecodeOutputs(ref Utf8JsonReader reader, ModelMetadata model, InferenceRequest request)
    {
        Expect(ref reader, JsonTokenType.StartArray, "'outputs' must be an array");
        var outputs = new List<RequestedOutput>(model.Outputs.Count);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw InferenceError.BadRequest("each entry of 'outputs' must be an object");
            string? name = null;
            var binary = false;
            while (ReadProperty(ref reader, out var property))
            {
                reader.Read();
                if (property.SequenceEqual("name"u8))
                {
                    if (reader.TokenType != JsonTokenType.String) throw InferenceError.BadRequest("an output's 'name' must be a string");
                    name = reader.GetString();
                }
                else if (property.SequenceEqual("parameters"u8))
                {
                    if (reader.TokenType != JsonTokenType.StartObject) throw InferenceError.BadRequest($"output '{name}': 'parameters' must be an object");
                    while (ReadProperty(ref reader, out var parameter))
                    {
                        reader.Read();
                        if (parameter.SequenceEqual("binary_data"u8)) binary = ReadBool(ref reader, InferenceProtocol.BinaryDataParameter);
                        else if (parameter.SequenceEqual("classification"u8)) throw RequestValidation.ClassificationUnsupported();
                        else reader.Skip();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            outputs.Add(new RequestedOutput(RequestValidation.OutputIndex(model, name), binary));
        }
        request.Outputs = outputs.ToArray();
    }

    private static bool ReadBool(ref Utf8JsonReader reader, string parameter) => RequestValidation.Boolean(reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => null,
    }, parameter);

    private static void DecodeData(ReadOnlySpan<byte> json, TensorDataType type, long elements, string name, long[] shape, Span<byte> destination)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray) throw InferenceError.BadRequest($"input '{name}': 'data' must be an array");
        long count = 0;
        var depth = 0;
        var size = type.ElementSize();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    depth++;
                    continue;
                case JsonTokenType.EndArray when depth == 0:
                    goto done;
                case JsonTokenType.EndArray:
                    depth--;
                    continue;
            }
            if (count < elements && !WriteElement(ref reader, type, destination.Slice((int)(count * size), size)))
            {
                throw InferenceError.BadRequest($"input '{name}': data element {count} is not a valid {type.ToProtocolName()} value");
            }
            count++;
        }
    done:
        if (count != elements)
            throw InferenceError.BadRequest($"input '{name}': 'data' has {count} elements but shape {Format(shape)} needs {elements}");
    }

    private static bool WriteElement(ref Utf8JsonReader reader, TensorDataType type, Span<byte> destination)
    {
        if (type == TensorDataType.Bool)
        {
            if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
            {
                destination[0] = reader.TokenType == JsonTokenType.True ? (byte)1 : (byte)0;
                return true;
            }
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var flag) && flag is 0 or 1)
            {
                destination[0] = (byte)flag;
                return true;
            }
            return false;
        }
        if (reader.TokenType != JsonTokenType.Number) return false;
        switch (type)
        {
            case TensorDataType.Fp32:
                if (!reader.TryGetSingle(out var f) || !float.IsFinite(f)) return false;
                MemoryMarshal.Write(destination, in f);
                return true;
            case TensorDataType.Fp64:
                if (!reader.TryGetDouble(out var d) || !double.IsFinite(d)) return false;
                MemoryMarshal.Write(destination, in d);
                return true;
            case TensorDataType.Fp16:
                if (!reader.TryGetDouble(out var h) || !double.IsFinite(h)) return false;
                var half = (Half)h;
                MemoryMarshal.Write(destination, in half);
                return true;
            case TensorDataType.Bf16:
                if (!reader.TryGetSingle(out var b) || !float.IsFinite(b)) return false;
                var bits = BitConverter.SingleToUInt32Bits(b);
                BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16));
                return true;
            case TensorDataType.UInt64:
                if (!reader.TryGetUInt64(out var u64)) return false;
                MemoryMarshal.Write(destination, in u64);
                return true;
        }
        if (!reader.TryGetInt64(out var i)) return false;
        switch (type)
        {
            case TensorDataType.Int64: MemoryMarshal.Write(destination, in i); return true;
            case TensorDataType.Int32 when i is >= int.MinValue and <= int.MaxValue: var i32 = (int)i; MemoryMarshal.Write(destination, in i32); return true;
            case TensorDataType.Int16 when i is >= short.MinValue and <= short.MaxValue: var i16 = (short)i; MemoryMarshal.Write(destination, in i16); return true;
            case TensorDataType.Int8 when i is >= sbyte.MinValue and <= sbyte.MaxValue: destination[0] = (byte)(sbyte)i; return true;
            case TensorDataType.UInt32 when i is >= 0 and <= uint.MaxValue: var u32 = (uint)i; MemoryMarshal.Write(destination, in u32); return true;
            case TensorDataType.UInt16 when i is >= 0 and <= ushort.MaxValue: var u16 = (ushort)i; MemoryMarshal.Write(destination, in u16); return true;
            case TensorDataType.UInt8 when i is >= 0 and <= byte.MaxValue: destination[0] = (byte)i; return true;
            default: return false;
        }
    }

    internal static string Format(long[] shape)
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < shape.Length; i++)
        {
            if (i > 0) builder.Append(',');
            builder.Append(shape[i]);
        }
        return builder.Append(']').ToString();
    }
}
