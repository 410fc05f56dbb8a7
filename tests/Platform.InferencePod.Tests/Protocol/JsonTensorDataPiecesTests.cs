using System.Globalization;
using System.Text;
using CsCheck;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Tests.Protocol;

/// <summary>
/// A data array decoded in pieces at once gives the same tensor, the same end and the same
/// refusals as one pass, wherever the cuts fall and
/// whatever the array holds (nested, booleans, a bad element on either side).
/// </summary>
public sealed class JsonTensorDataPiecesTests
{
    private static readonly string[] Spaces = ["", " ", "\n  ", "\t", "\r\n"];
    private static readonly string[] Formats = ["R", "G9", "E8", "F3"];

    /// <summary>A body-like text: a data array of 2..400 floats (flat or in rows), then more of the body of any length.</summary>
    private static readonly Gen<(string Text, int Elements)> Arrays =
        Gen.Select(Gen.Int[2, 400], Gen.Int[0, Spaces.Length - 1], Gen.Int[0, Formats.Length - 1], Gen.Int[0, 3], Gen.Int[0, 2000], Gen.Int[0, int.MaxValue])
        .Select((count, space, format, shape, tail, seed) =>
        {
            var random = new Random(seed);
            var separator = "," + Spaces[space];
            var values = Enumerable.Range(0, count).Select(_ => ((float)(random.NextDouble() * 200 - 100)).ToString(Formats[format], CultureInfo.InvariantCulture)).ToArray();
            // shape 0..2: flat; 3: rows of 2 (nested), with the count rounded down to even.
            var array = shape < 3
                ? "[" + Spaces[space] + string.Join(separator, values) + Spaces[space] + "]"
                : "[" + string.Join(separator, values.Chunk(2).Where(p => p.Length == 2).Select(p => "[" + string.Join(separator, p) + "]")) + "]";
            var elements = shape < 3 ? count : count / 2 * 2;
            return (array + ",\"name\":\"x\"" + new string(' ', tail) + "}]}", elements);
        });

    [Fact]
    public void Pieces_decode_what_one_pass_decodes() => Arrays.Sample(sample =>
    {
        var (text, elements) = sample;
        var json = Encoding.ASCII.GetBytes(text);
        var (onePass, onePassEnd) = Decode(json, TensorDataType.Fp32, elements, piecesMinimum: long.MaxValue);
        var (pieces, piecesEnd) = Decode(json, TensorDataType.Fp32, elements, piecesMinimum: 1);
        Assert.NotNull(onePass);
        Assert.Equal(onePass, pieces);
        Assert.Equal(onePassEnd, piecesEnd);
        Assert.Equal((byte)']', json[piecesEnd]);
    }, iter: 400);

    [Theory]
    [InlineData("BOOL", "true,false,1,0,true,false,false,true")]
    [InlineData("INT64", "-9223372036854775808,9223372036854775807,0,-0,1,-1,42,7")]
    [InlineData("UINT8", "255,0,1,2,3,4,42,9")]
    [InlineData("FP64", "0.1,-0.0,5e-324,1.7976931348623157e308,0.48500001430511475,7,1e22,3")]
    public void Every_datatype_takes_the_pieces(string datatype, string values)
    {
        TensorDataTypes.TryParse(Encoding.ASCII.GetBytes(datatype), out var type);
        // Repeated so the cuts fall inside the array.
        var text = "[" + string.Join(",", Enumerable.Repeat(values, 8)) + "]}";
        var elements = values.Split(',').Length * 8;
        var json = Encoding.ASCII.GetBytes(text);
        var (onePass, _) = Decode(json, type, elements, long.MaxValue);
        var (pieces, end) = Decode(json, type, elements, 1);
        Assert.NotNull(onePass);
        Assert.Equal(onePass, pieces);
        Assert.Equal(text.Length - 2, end);
    }

    /// <summary>A bad element, a missing or an extra one, in the first or the last piece: refused as one pass refuses it.</summary>
    [Theory]
    [InlineData(3, "null")]
    [InlineData(96, "null")]
    [InlineData(5, "\"1\"")]
    [InlineData(90, "1e39")]
    [InlineData(10, "01")]
    [InlineData(95, "1,")]
    [InlineData(2, "")]
    public void A_bad_element_in_any_piece_is_refused(int index, string replacement)
    {
        var values = Enumerable.Range(0, 100).Select(i => (i * 0.25).ToString(CultureInfo.InvariantCulture)).ToArray();
        values[index] = replacement;
        var text = "[" + string.Join(",", values.Where(v => v.Length > 0)) + "]}";
        var json = Encoding.ASCII.GetBytes(text);
        Assert.Null(Decode(json, TensorDataType.Fp32, 100, long.MaxValue).Tensor);
        Assert.Null(Decode(json, TensorDataType.Fp32, 100, 1).Tensor);
    }

    /// <summary>A nested array anywhere: the cut is declined and one pass decodes it as before.</summary>
    [Theory]
    [InlineData(4)]
    [InlineData(97)]
    public void A_nested_element_decodes_as_one_pass_does(int index)
    {
        var values = Enumerable.Range(0, 100).Select(i => (i * 0.25).ToString(CultureInfo.InvariantCulture)).ToArray();
        values[index] = "[" + values[index] + "]";
        var json = Encoding.ASCII.GetBytes("[" + string.Join(",", values) + "]}");
        var (onePass, onePassEnd) = Decode(json, TensorDataType.Fp32, 100, long.MaxValue);
        var (pieces, piecesEnd) = Decode(json, TensorDataType.Fp32, 100, 1);
        Assert.NotNull(onePass);
        Assert.Equal(onePass, pieces);
        Assert.Equal(onePassEnd, piecesEnd);
    }

    private static (byte[]? Tensor, int End) Decode(byte[] json, TensorDataType type, int elements, long piecesMinimum)
    {
        var destination = new byte[elements * type.ElementSize()];
        return JsonTensorData.TryDecode(json, 0, type, elements, destination, out var end, piecesMinimum) ? (destination, end) : (null, end);
    }
}
