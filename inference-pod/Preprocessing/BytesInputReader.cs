using System.Buffers.Binary;
using System.Text.Json;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// Reads images from a V2 request with one BYTES input of shape [n]: in JSON each element is a
/// base64 string; with the binary extension the input's binary_data_size bytes follow the JSON,
/// each element a 4-byte little-endian length and its bytes (Triton's layout). The request
/// parameters priority and timeout apply as on /infer.
/// </summary>
public static class BytesInputReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Returns the n images; sets the request's id, priority and timeout.</summary>
    public static List<ReadOnlyMemory<byte>> Read(ReadOnlyMemory<byte> body, int jsonLength, int maxImages, int priorityLevels, InferenceRequest request)
    {
        var json = body.Span[..jsonLength];
        var binary = body[jsonLength..];
        List<ReadOnlyMemory<byte>>? images = null;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw InferenceError.BadRequest("request body must be a JSON object");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.ValueTextEquals("inputs"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) throw InferenceError.BadRequest("'inputs' must be an array");
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (images is not null) throw InferenceError.BadRequest("classify takes exactly one input: a BYTES tensor of images");
                        images = ReadInput(ref reader, binary, maxImages);
                    }
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String) throw InferenceError.BadRequest("'id' must be a string");
                    request.Id = reader.GetString();
                }
                else if (reader.ValueTextEquals("parameters"u8))
                {
                    RequestDecoder.DecodeRequestParameters(ref reader, priorityLevels, request);
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
            throw JsonErrors.NotJson(json, e);
        }
        catch (InvalidOperationException)
        {
            throw JsonErrors.NotUtf8();
        }
        catch (FormatException e)
        {
            throw InferenceError.BadRequest($"an image is not valid base64: {e.Message}");
        }
        return images ?? throw InferenceError.BadRequest("the request has no input; classify takes one BYTES input holding the images");
    }

    private static List<ReadOnlyMemory<byte>> ReadInput(ref Utf8JsonReader reader, ReadOnlyMemory<byte> binary, int maxImages)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw InferenceError.BadRequest("each entry of 'inputs' must be an object");
        string? datatype = null;
        long count = -1;
        List<ReadOnlyMemory<byte>>? data = null;
        var dataReader = default(Utf8JsonReader);
        var hasData = false;
        long binarySize = -1;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("datatype"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) throw InferenceError.BadRequest("the input's 'datatype' must be a string");
                datatype = reader.GetString();
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                count = ReadShape(ref reader);
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                // Read once the datatype is known, so a tensor input gets the error about its datatype.
                dataReader = reader;
                hasData = true;
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                binarySize = ReadBinarySize(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (datatype != "BYTES")
            throw InferenceError.BadRequest($"classify takes the images as a BYTES input, not {datatype ?? "an input without 'datatype'"}; send tensors to /infer");
        if (count < 0) throw InferenceError.BadRequest("the BYTES input has no 'shape' (it is [n] for n images)");
        if (count < 1 || count > maxImages) throw InferenceError.BadRequest($"the BYTES input has {count} images; it must be between 1 and {maxImages}");
        if (hasData) data = ReadBase64Elements(ref dataReader, maxImages);
        if (binarySize >= 0)
        {
            if (data is not null) throw InferenceError.BadRequest("the BYTES input has both 'data' and binary_data_size");
            if (binarySize != binary.Length)
                throw InferenceError.BadRequest($"binary_data_size is {binarySize} but {binary.Length} bytes follow the JSON header");
            data = SplitBinary(binary, (int)count);
        }
        if (data is null) throw InferenceError.BadRequest("the BYTES input has neither 'data' nor binary_data_size");
        if (data.Count != count) throw InferenceError.BadRequest($"the BYTES input's shape says {count} images but it holds {data.Count}");
        return data;
    }

    private static long ReadShape(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) throw InferenceError.BadRequest("'shape' must be an array holding one integer, the number of images");
        var dims = new List<long>(1);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dim) || dim < 0 || dims.Count == 4)
                throw InferenceError.BadRequest("'shape' must be an array holding one non-negative integer, the number of images");
            dims.Add(dim);
        }
        if (dims.Count != 1) throw InferenceError.BadRequest($"the BYTES input has shape [{string.Join(',', dims)}]; it must be [n] for n images");
        return dims[0];
    }

    private static List<ReadOnlyMemory<byte>> ReadBase64Elements(ref Utf8JsonReader reader, int maxImages)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) throw InferenceError.BadRequest("'data' must be an array of base64 strings");
        var images = new List<ReadOnlyMemory<byte>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String) throw InferenceError.BadRequest("each element of 'data' must be a base64 string holding one image");
            if (images.Count == maxImages) throw InferenceError.BadRequest($"'data' holds more than {maxImages} images");
            images.Add(reader.GetBytesFromBase64());
        }
        return images;
    }

    private static long ReadBinarySize(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw InferenceError.BadRequest("the input's 'parameters' must be an object");
        long size = -1;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isSize = reader.ValueTextEquals("binary_data_size"u8);
            reader.Read();
            if (isSize)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out size) || size < 0)
                    throw InferenceError.BadRequest("binary_data_size must be a non-negative integer");
            }
            else
            {
                reader.Skip();
            }
        }
        return size;
    }

    /// <summary>Splits the binary section into its length-prefixed elements.</summary>
    private static List<ReadOnlyMemory<byte>> SplitBinary(ReadOnlyMemory<byte> binary, int count)
    {
        var images = new List<ReadOnlyMemory<byte>>(count);
        var at = 0;
        while (at < binary.Length)
        {
            if (binary.Length - at < 4) throw InferenceError.BadRequest($"the binary BYTES data ends inside the length prefix of element {images.Count}");
            var length = BinaryPrimitives.ReadUInt32LittleEndian(binary.Span[at..]);
            at += 4;
            if (length > binary.Length - at)
                throw InferenceError.BadRequest($"element {images.Count} of the binary BYTES data declares {length} bytes but only {binary.Length - at} remain");
            if (images.Count == count) throw InferenceError.BadRequest($"the binary BYTES data holds more than the {count} images its shape says");
            images.Add(binary.Slice(at, (int)length));
            at += (int)length;
        }
        return images;
    }
}
