using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Tests.Protocol;

/// <summary>
/// The one-pass number conversions give, bit for bit, what the platform's parsers give for the
/// same text, over floats written every way clients write them and over arbitrary decimal text.
/// </summary>
public sealed class JsonNumberTests
{
    private static readonly string[] FloatFormats = ["R", "G9", "G", "E", "E3", "E8", "F2", "F10", "F45"];
    private static readonly string[] DoubleFormats = ["R", "G17", "G15", "G", "E16", "E3", "F2", "F20"];

    /// <summary>A finite float from its bits (every binade, subnormals, ±0), written in one of many formats, as float or as the double Python would print.</summary>
    private static readonly Gen<string> FloatText = Gen.Select(Gen.UInt, Gen.Int[0, FloatFormats.Length + DoubleFormats.Length - 1])
        .Where((bits, _) => float.IsFinite(BitConverter.UInt32BitsToSingle(bits)))
        .Select((bits, format) =>
        {
            var value = BitConverter.UInt32BitsToSingle(bits);
            return format < FloatFormats.Length
                ? value.ToString(FloatFormats[format], CultureInfo.InvariantCulture)
                : ((double)value).ToString(DoubleFormats[format - FloatFormats.Length], CultureInfo.InvariantCulture);
        })
        .Select(Json);

    /// <summary>
    /// Doubles within a few units of the midpoint between two floats, written as Python prints them:
    /// where narrowing a double to float would round twice and go wrong.
    /// </summary>
    private static readonly Gen<string> NearFloatMidpoint = Gen.Select(Gen.UInt[0, 0x7F7F_FFFF], Gen.Int[-40, 40], Gen.Bool, Gen.Bool)
        .Select((bits, offset, negative, g17) =>
        {
            var low = BitConverter.UInt32BitsToSingle(bits);
            var midpoint = ((double)low + MathF.BitIncrement(low)) / 2;
            var value = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(midpoint) + offset);
            return (negative ? -value : value).ToString(g17 ? "G17" : "R", CultureInfo.InvariantCulture);
        })
        .Select(Json);

    private static readonly Gen<string> DoubleText = Gen.Select(Gen.ULong, Gen.Int[0, DoubleFormats.Length - 1])
        .Where((bits, _) => double.IsFinite(BitConverter.UInt64BitsToDouble(bits)))
        .Select((bits, format) => BitConverter.UInt64BitsToDouble(bits).ToString(DoubleFormats[format], CultureInfo.InvariantCulture))
        .Select(Json);

    /// <summary>Arbitrary JSON numbers: 1 to 30 digits, a point anywhere, leading zeros, any exponent (out of range included).</summary>
    private static readonly Gen<string> DecimalText = Gen.Select(Gen.Bool, Gen.Char["0123456789"].Array[1, 30], Gen.Int[0, 30], Gen.Int[-400, 400], Gen.Int[0, 2])
        .Select((negative, digits, point, exponent, exponentForm) =>
        {
            var text = new StringBuilder(negative ? "-" : "");
            var integer = new string(digits).TrimStart('0');
            var split = Math.Min(point, integer.Length);
            text.Append(split == 0 ? "0" : integer[..split]);
            if (split < integer.Length) text.Append('.').Append(integer[split..]);
            if (exponentForm == 1) text.Append('e').Append(exponent);
            else if (exponentForm == 2) text.Append("E+").Append(Math.Abs(exponent % 40));
            return text.ToString();
        });

    /// <summary>Hard cases: midpoints between floats, the edges of the float and double ranges, zeros, integers past 2^53.</summary>
    public static TheoryData<string> EdgeCases => new()
    {
        "0", "-0", "0.0", "-0.0", "0e0", "-0E-5", "0.000000000000000000000000000000000000000000000000001",
        "1", "-1", "16777216", "16777217", "16777218", "16777219", "9007199254740993", "9007199254740992", "18446744073709551615", "18446744073709551616",
        "1.00000005960464477539062500", "1.000000059604644776", "1.0000000596046448", "1.000000059604644775", "1.00000005960464477539062501", "1.00000005960464477539062499", "1.0000000596046447753906250000000000000000001",
        "0.48500001430511475", "0.485", "0.229", "0.22400000691413879", "-2.1179039478302", "2.640000104904175",
        "3.4028235e38", "3.40282347e+38", "3.4028235677973366e38", "3.4028235677973367e38", "3.5e38", "1e39", "-1e39",
        "1.17549435e-38", "1.1754942e-38", "1.4e-45", "1.401298464324817e-45", "7e-46", "7.1e-46", "1e-46", "2.5e-324", "5e-324", "4.9406564584124654e-324",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "2e308", "1e-400", "1e400", "1e99999999999999999999", "1e-99999999999999999999",
        "123456789012345678901234567890", "0.1234567890123456789012345678901", "1e22", "1e23", "9.999999999999999e22", "8.589973e9", "8.589974e9",
        "1234567890123456789", "12345678901234567890", "-9223372036854775808", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
    };

    [Fact]
    public void Floats_written_any_way_convert_as_float_Parse_does() =>
        Gen.OneOf(FloatText, NearFloatMidpoint, DecimalText).Sample(AssertSameSingle, iter: 50_000);

    [Fact]
    public void Doubles_written_any_way_convert_as_double_Parse_does() =>
        Gen.OneOf(DoubleText, FloatText, DecimalText).Sample(AssertSameDouble, iter: 50_000);

    [Fact]
    public void Integers_convert_as_the_json_reader_takes_them() =>
        Gen.OneOf(DecimalText, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture)), Gen.ULong.Select(l => l.ToString(CultureInfo.InvariantCulture)))
            .Sample(AssertSameIntegers, iter: 20_000);

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Edge_cases_convert_as_the_platform_does(string text)
    {
        AssertSameSingle(text);
        AssertSameDouble(text);
        AssertSameIntegers(text);
    }

    [Theory]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-")]
    [InlineData("+1")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("-.5")]
    [InlineData("1.e5")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Text_that_is_not_a_whole_json_number_is_not_taken(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var position = 0;
        var whole = JsonNumber.TryScan(bytes, ref position, out _) && position == bytes.Length;
        Assert.False(whole, $"'{text}' scanned as a whole number");
    }

    private static string Json(string text)
    {
        // .NET writes "1E+38"; a JSON number has no "+" before its digits but may after the "E".
        var bytes = Encoding.ASCII.GetBytes(text);
        var position = 0;
        if (!JsonNumber.TryScan(bytes, ref position, out _) || position != bytes.Length) throw new InvalidOperationException($"'{text}' is not a JSON number");
        return text;
    }

    private static JsonNumber Scan(byte[] bytes)
    {
        var position = 0;
        Assert.True(JsonNumber.TryScan(bytes, ref position, out var number), $"'{Encoding.ASCII.GetString(bytes)}' did not scan");
        Assert.Equal(bytes.Length, position);
        return number;
    }

    private static void AssertSameSingle(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var expected = float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        var actual = Scan(bytes).ToSingle();
        Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(actual), $"'{text}': float.Parse {expected:R}, fast {actual:R}");
        var reader = new Utf8JsonReader(bytes);
        reader.Read();
        if (reader.TryGetSingle(out var fromReader))
            Assert.True(BitConverter.SingleToUInt32Bits(fromReader) == BitConverter.SingleToUInt32Bits(actual), $"'{text}': TryGetSingle {fromReader:R}, fast {actual:R}");
        else
            Assert.False(float.IsFinite(actual), $"'{text}': TryGetSingle refuses it but the fast path gives {actual:R}");
    }

    private static void AssertSameDouble(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        var actual = Scan(bytes).ToDouble();
        Assert.True(BitConverter.DoubleToUInt64Bits(expected) == BitConverter.DoubleToUInt64Bits(actual), $"'{text}': double.Parse {expected:R}, fast {actual:R}");
    }

    private static void AssertSameIntegers(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var number = Scan(bytes);
        var reader = new Utf8JsonReader(bytes);
        reader.Read();
        Assert.Equal(reader.TryGetInt64(out var expectedLong) ? expectedLong : (long?)null, number.TryGetInt64(out var actualLong) ? actualLong : null);
        Assert.Equal(reader.TryGetUInt64(out var expectedULong) ? expectedULong : (ulong?)null, number.TryGetUInt64(out var actualULong) ? actualULong : null);
    }
}
