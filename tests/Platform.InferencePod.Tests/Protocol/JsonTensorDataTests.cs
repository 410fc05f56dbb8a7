using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CsCheck;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Tests.Protocol;

/// <summary>
/// A JSON request decodes to the same tensor bytes as the same tensor sent with the binary
/// extension, however the client writes it (number formats, whitespace, nested or flat data,
/// data before or after the shape); refusals keep their messages.
/// </summary>
public sealed class JsonTensorDataTests
{
    private static readonly ModelMetadata Image = new("m", "1", [new TensorSpec("x", TensorDataType.Fp32, [-1, 3, 4, 5])], [new TensorSpec("y", TensorDataType.Fp32, [-1, 2])]);
    private static readonly string[] Spaces = ["", "", " ", "\n  ", "\t", "\r\n"];
    /// <summary>Formats that keep every float exact (the binary tensor is the expectation).</summary>
    private static readonly string[] FloatFormats = ["R", "G9", "E8", "e8"];

    private static readonly Gen<(float[] Values, int Rows, int[] Formats, int Space, bool Nested, bool DataFirst)> Tensors =
        Gen.Int[1, 2].SelectMany(rows => Gen.Select(
            Gen.UInt.Select(BitConverter.UInt32BitsToSingle).Where(float.IsFinite).Array[rows * 60],
            Gen.Int[0, FloatFormats.Length + 1].Array[rows * 60],
            Gen.Int[0, Spaces.Length - 1], Gen.Bool, Gen.Bool,
            (values, formats, space, nested, dataFirst) => (values, rows, formats, space, nested, dataFirst)));

    [Fact]
    public void Json_data_decodes_to_the_same_tensor_as_binary_data() => Tensors.Sample(sample =>
    {
        var (values, rows, formats, space, nested, dataFirst) = sample;
        var texts = values.Select((v, i) => formats[i] switch
        {
            < 4 => v.ToString(FloatFormats[formats[i]], CultureInfo.InvariantCulture),
            4 => ((double)v).ToString("R", CultureInfo.InvariantCulture),
            _ => ((double)v).ToString("G17", CultureInfo.InvariantCulture),
        }).ToArray();
        var json = Decode(Image, JsonBody("FP32", [rows, 3, 4, 5], Data(texts, [rows, 3, 4, 5], nested, Spaces[space]), dataFirst, Spaces[space]));
        var tensor = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        var binaryJson = Encoding.UTF8.GetBytes($$$"""{"inputs":[{"name":"x","datatype":"FP32","shape":[{{{rows}}},3,4,5],"parameters":{"binary_data_size":{{{tensor.Length}}}}}]}""");
        var binary = Decode(Image, [.. binaryJson, .. tensor], binaryJson.Length);
        Assert.Equal(binary, json);
    }, iter: 300);

    public static TheoryData<string, string> Datatypes => new()
    {
        { "FP32", "[0.5,-0,1e-45,3.4028235e38,0.48500001430511475,7,-2.1179039478302]" },
        { "FP64", "[0.1,-0.0,5e-324,1.7976931348623157e308,0.48500001430511475,7,123456789012345678901]" },
        { "FP16", "[0.1,-0.0,65504,65520,6e-8,1e-9,7]" },
        { "BF16", "[0.1,-0.0,3.3e38,1.00390625,1.01171875,7,-2.5]" },
        { "INT64", "[-9223372036854775808,9223372036854775807,0,-0,1,-1,42]" },
        { "INT32", "[-2147483648,2147483647,0,-0,1,-1,42]" },
        { "INT16", "[-32768,32767,0,-0,1,-1,42]" },
        { "INT8", "[-128,127,0,-0,1,-1,42]" },
        { "UINT64", "[18446744073709551615,9223372036854775808,0,1,2,3,42]" },
        { "UINT32", "[4294967295,0,1,2,3,4,42]" },
        { "UINT16", "[65535,0,1,2,3,4,42]" },
        { "UINT8", "[255,0,1,2,3,4,42]" },
        { "BOOL", "[true,false,1,0,-0,true,false]" },
    };

    [Theory]
    [MemberData(nameof(Datatypes))]
    public void Every_datatype_decodes_as_the_json_reader_reads_it(string datatype, string data)
    {
        TensorDataTypes.TryParse(Encoding.ASCII.GetBytes(datatype), out var type);
        var model = new ModelMetadata("m", "1", [new TensorSpec("x", type, [-1, 7])], [new TensorSpec("y", type, [-1, 7])]);
        foreach (var dataFirst in new[] { false, true })
        {
            var decoded = Decode(model, JsonBody(datatype, [1, 7], data, dataFirst, ""));
            Assert.Equal(Reference(type, data), decoded);
        }
    }

    [Theory]
    [InlineData("FP32", "[3.5e38,0,0]", "data element 0 is not a valid FP32 value")]
    [InlineData("FP32", "[0,1e39,0]", "data element 1 is not a valid FP32 value")]
    [InlineData("FP64", "[0,0,1e309]", "data element 2 is not a valid FP64 value")]
    [InlineData("FP16", "[1e309,0,0]", "data element 0 is not a valid FP16 value")]
    [InlineData("INT32", "[2147483648,0,0]", "data element 0 is not a valid INT32 value")]
    [InlineData("INT64", "[9223372036854775808,0,0]", "data element 0 is not a valid INT64 value")]
    [InlineData("UINT64", "[18446744073709551616,0,0]", "data element 0 is not a valid UINT64 value")]
    [InlineData("INT16", "[1e2,0,0]", "data element 0 is not a valid INT16 value")]
    [InlineData("UINT32", "[0,-1,0]", "data element 1 is not a valid UINT32 value")]
    [InlineData("BOOL", "[true,null,0]", "data element 1 is not a valid BOOL value")]
    [InlineData("FP32", "[0,\"1\",0]", "data element 1 is not a valid FP32 value")]
    [InlineData("FP32", "[[0,1],[2,3]]", "'data' has 4 elements but shape [1,3] needs 3")]
    [InlineData("FP32", "[]", "'data' has 0 elements but shape [1,3] needs 3")]
    [InlineData("FP32", "[0,1]", "'data' has 2 elements but shape [1,3] needs 3")]
    [InlineData("FP32", "[true,1,2]", "data element 0 is not a valid FP32 value")]
    [InlineData("FP32", "[1,2,3]]", "not valid JSON: the JSON ends early or has an unexpected character at line 1, byte ")]
    [InlineData("FP32", "[1,2,3,]", "not valid JSON: the JSON ends early or has an unexpected character at line 1, byte ")]
    [InlineData("FP32", "[1,2,03]", "not valid JSON: the JSON ends early or has an unexpected character at line 1, byte ")]
    [InlineData("FP32", "[1,2,3", "not valid JSON: the JSON ends early or has an unexpected character at line 1, byte ")]
    public void Refusals_name_the_problem_wherever_the_data_is(string datatype, string data, string message)
    {
        TensorDataTypes.TryParse(Encoding.ASCII.GetBytes(datatype), out var type);
        var model = new ModelMetadata("m", "1", [new TensorSpec("x", type, [-1, 3])], [new TensorSpec("y", type, [-1, 3])]);
        foreach (var dataFirst in new[] { false, true })
        {
            var body = JsonBody(datatype, [1, 3], data, dataFirst, "");
            using var request = new InferenceRequest();
            var error = Assert.Throws<InferenceError>(() => RequestDecoder.Decode(body, body.Length, model, 4, 2, request));
            Assert.Contains(message, error.Message);
            if (message.StartsWith("not valid JSON", StringComparison.Ordinal)) Assert.Equal(ReaderError(body), error.Message);
        }
    }

    /// <summary>After a data array the fast path decoded, bad JSON is reported at its own line and byte, as before.</summary>
    [Theory]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1,3],"data":[1,2,3]}] x}""")]
    [InlineData("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1,3],"data":[1,2,3]},}],"id":"a"}""")]
    [InlineData("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,\n2,\n3]}],\n\"id\":tru}")]
    [InlineData("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,\n2,\n3]}],\n\"id\":\"a\"}\n{")]
    [InlineData("{\"inputs\":[{\"data\":[\n1,\n2,\n3],\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3]}],\n\"outputs\":[}")]
    public void Bad_json_after_a_decoded_array_is_placed_exactly(string text)
    {
        var model = new ModelMetadata("m", "1", [new TensorSpec("x", TensorDataType.Fp32, [-1, 3])], [new TensorSpec("y", TensorDataType.Fp32, [-1, 3])]);
        var body = Encoding.UTF8.GetBytes(text);
        using var request = new InferenceRequest();
        var error = Assert.Throws<InferenceError>(() => RequestDecoder.Decode(body, body.Length, model, 4, 2, request));
        Assert.Equal(ReaderError(body), error.Message);
    }

    [Fact]
    public void A_later_shape_or_datatype_decides_how_earlier_data_is_read()
    {
        var model = new ModelMetadata("m", "1", [new TensorSpec("x", TensorDataType.Fp32, [-1, -1])], [new TensorSpec("y", TensorDataType.Fp32, [-1, 2])]);
        var body = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3,4],"shape":[2,2]}]}""");
        Assert.Equal(Reference(TensorDataType.Fp32, "[1,2,3,4]"), Decode(model, body));
        using var request = new InferenceRequest();
        body = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3,4],"shape":[1,3]}]}""");
        var error = Assert.Throws<InferenceError>(() => RequestDecoder.Decode(body, body.Length, model, 4, 2, request));
        Assert.Contains("'data' has 4 elements but shape [1,3] needs 3", error.Message);
    }

    private static byte[] Decode(ModelMetadata model, byte[] body, int? jsonLength = null)
    {
        using var request = new InferenceRequest();
        RequestDecoder.Decode(body, jsonLength ?? body.Length, model, maxBatchSize: 4, priorityLevels: 2, request);
        return request.Inputs[0].Data.ToArray();
    }

    private static byte[] JsonBody(string datatype, long[] shape, string data, bool dataFirst, string space)
    {
        var shapeText = $"\"shape\"{space}:{space}[{string.Join($",{space}", shape)}]";
        var dataText = $"\"data\":{space}{data}";
        var properties = dataFirst ? $"{dataText},{space}\"name\":\"x\",\"datatype\":\"{datatype}\",{shapeText}" : $"\"name\":\"x\",{space}\"datatype\":\"{datatype}\",{shapeText},{dataText}";
        return Encoding.UTF8.GetBytes($"{{{space}\"id\":\"t\",\"inputs\":[{space}{{{properties}}}{space}],\"parameters\":{{\"priority\":1}}{space}}}{space}");
    }

    /// <summary>Elements written flat or nested along the shape, separated by the given space.</summary>
    private static string Data(string[] texts, long[] shape, bool nested, string space)
    {
        if (!nested) return $"[{space}{string.Join($",{space}", texts)}{space}]";
        string Level(int axis, int offset, int count)
        {
            if (axis == shape.Length - 1) return "[" + string.Join($",{space}", texts.Skip(offset).Take(count)) + "]";
            var inner = count / (int)shape[axis];
            return "[" + string.Join($",{space}", Enumerable.Range(0, (int)shape[axis]).Select(i => Level(axis + 1, offset + i * inner, inner))) + "]";
        }
        return Level(0, 0, texts.Length);
    }

    /// <summary>The bytes the JSON reader's own conversions give (the decoder before its fast path), element by element.</summary>
    private static byte[] Reference(TensorDataType type, string data)
    {
        var bytes = new List<byte>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(data));
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.EndArray) continue;
            if (type == TensorDataType.Bool)
            {
                bytes.Add(reader.TokenType == JsonTokenType.True || (reader.TokenType == JsonTokenType.Number && reader.GetInt32() == 1) ? (byte)1 : (byte)0);
                continue;
            }
            byte[] element = type switch
            {
                TensorDataType.Fp32 => BitConverter.GetBytes(reader.GetSingle()),
                TensorDataType.Fp64 => BitConverter.GetBytes(reader.GetDouble()),
                TensorDataType.Fp16 => BitConverter.GetBytes((Half)reader.GetDouble()),
                TensorDataType.Bf16 => Bf16(reader.GetSingle()),
                TensorDataType.Int64 => BitConverter.GetBytes(reader.GetInt64()),
                TensorDataType.Int32 => BitConverter.GetBytes(reader.GetInt32()),
                TensorDataType.Int16 => BitConverter.GetBytes(reader.GetInt16()),
                TensorDataType.Int8 => [(byte)reader.GetSByte()],
                TensorDataType.UInt64 => BitConverter.GetBytes(reader.GetUInt64()),
                TensorDataType.UInt32 => BitConverter.GetBytes(reader.GetUInt32()),
                TensorDataType.UInt16 => BitConverter.GetBytes(reader.GetUInt16()),
                _ => [reader.GetByte()],
            };
            bytes.AddRange(element);
        }
        return [.. bytes];
    }

    private static byte[] Bf16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        var result = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(result, (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16));
        return result;
    }

    /// <summary>The message for a body the JSON reader rejects, placed where the reader itself stops.</summary>
    private static string ReaderError(byte[] body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            while (reader.Read()) { }
        }
        catch (JsonException e)
        {
            return JsonErrors.NotJson(body, e).Message;
        }
        throw new InvalidOperationException("the body is valid JSON");
    }
}
