using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Tests.Protocol;

/// <summary>Every datatype decodes from JSON into the raw form ONNX Runtime reads, and encodes back to the same JSON values.</summary>
public sealed class DatatypeRoundTripTests
{
    public static TheoryData<string, string, byte[]> Cases => new()
    {
        { "BOOL", "[true,false,true]", [1, 0, 1] },
        { "UINT8", "[0,7,255]", [0, 7, 255] },
        { "INT8", "[-128,0,127]", [0x80, 0, 0x7F] },
        { "INT16", "[-2,0,300]", Bytes<short>(-2, 0, 300) },
        { "UINT16", "[0,1,65535]", Bytes<ushort>(0, 1, 65535) },
        { "INT32", "[-5,0,2147483647]", Bytes(-5, 0, int.MaxValue) },
        { "UINT32", "[0,1,4294967295]", Bytes(0u, 1u, uint.MaxValue) },
        { "INT64", "[-9007199254740993,0,42]", Bytes(-9007199254740993L, 0L, 42L) },
        { "UINT64", "[0,1,18446744073709551615]", Bytes(0ul, 1ul, ulong.MaxValue) },
        { "FP16", "[0.5,-2,1024]", Bytes((Half)0.5, (Half)(-2), (Half)1024) },
        { "FP32", "[0.25,-1.5,3e+38]", Bytes(0.25f, -1.5f, 3e38f) },
        { "FP64", "[0.1,-2.5,1e+300]", Bytes(0.1, -2.5, 1e300) },
        { "BF16", "[1,-2,0.5]", [0x80, 0x3F, 0x00, 0xC0, 0x00, 0x3F] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Json_data_decodes_to_raw_little_endian_and_encodes_back(string datatype, string data, byte[] raw)
    {
        TensorDataTypes.TryParse(Encoding.ASCII.GetBytes(datatype), out var type);
        var model = new ModelMetadata("m", "1", [new TensorSpec("x", type, [-1, 3])], [new TensorSpec("y", type, [-1, 3])]);
        var body = Encoding.UTF8.GetBytes($$"""{"inputs":[{"name":"x","datatype":"{{datatype}}","shape":[1,3],"data":{{data}}}]}""");
        using var request = new InferenceRequest();
        RequestDecoder.Decode(body, body.Length, model, maxBatchSize: 4, priorityLevels: 2, request);
        Assert.Equal(raw, request.Inputs[0].Data.ToArray());

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(raw.Length);
        raw.CopyTo(buffer, 0);
        using var encoded = new PooledBufferWriter();
        ResponseEncoder.EncodeJson(encoded, model, request, [new OutputTensor(type, [1, 3], buffer, raw.Length)]);
        var output = JsonNode.Parse(encoded.WrittenSpan)!["outputs"]![0]!;
        Assert.Equal(datatype, (string?)output["datatype"]);
        var expected = JsonNode.Parse(data)!.AsArray();
        var actual = output["data"]!.AsArray();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            // Floating-point values compare by value ("3e+38" and "3E+38" are the same number).
            if (datatype.StartsWith("FP", StringComparison.Ordinal) || datatype == "BF16")
                Assert.Equal(expected[i]!.GetValue<double>(), actual[i]!.GetValue<double>(), 1e-6 * Math.Abs(expected[i]!.GetValue<double>()));
            else
                Assert.Equal(expected[i]!.ToJsonString(), actual[i]!.ToJsonString());
        }
    }

    [Theory]
    [InlineData("UINT8", "[256,0,0]")]
    [InlineData("INT8", "[-129,0,0]")]
    [InlineData("INT32", "[1.5,0,0]")]
    [InlineData("BOOL", "[2,0,0]")]
    [InlineData("UINT64", "[-1,0,0]")]
    public void Values_outside_the_datatype_are_refused(string datatype, string data)
    {
        TensorDataTypes.TryParse(Encoding.ASCII.GetBytes(datatype), out var type);
        var model = new ModelMetadata("m", "1", [new TensorSpec("x", type, [-1, 3])], [new TensorSpec("y", type, [-1, 3])]);
        var body = Encoding.UTF8.GetBytes($$"""{"inputs":[{"name":"x","datatype":"{{datatype}}","shape":[1,3],"data":{{data}}}]}""");
        using var request = new InferenceRequest();
        var error = Assert.Throws<InferenceError>(() => RequestDecoder.Decode(body, body.Length, model, 4, 2, request));
        Assert.Contains($"data element 0 is not a valid {datatype} value", error.Message);
    }

    private static byte[] Bytes<T>(params T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
