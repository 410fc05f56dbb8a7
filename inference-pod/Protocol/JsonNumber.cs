using System.Buffers.Binary;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Globalization;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// One JSON number scanned in a single pass: its first 19 significant decimal digits and a
/// power of ten, from which the conversions below build the value without a second parse.
/// Hand-written because the platform only parses a number from its text (Utf8JsonReader
/// finds the token, then float.Parse walks it again with the general IEEE algorithm), which
/// is most of the cost of a large JSON tensor. Every conversion is bit-identical to the
/// platform's: a fast exact path where the arithmetic is provably correctly rounded, and the
/// platform's parser on the same text for everything else.
/// </summary>
public readonly ref struct JsonNumber
{
    private const int MaxDigits = 19;

    /// <summary>The text of the number (for the platform parser's fallback).</summary>
    public readonly ReadOnlySpan<byte> Text;
    /// <summary>Up to 19 significant digits; the value is ±Mantissa × 10^Exponent unless <see cref="Inexact"/>.</summary>
    public readonly ulong Mantissa;
    public readonly int Exponent;
    public readonly bool Negative;
    /// <summary>No fraction and no exponent: the form an integer tensor accepts.</summary>
    public readonly bool Integer;
    /// <summary>Digits were dropped or the exponent is huge: only the platform parser gives the value.</summary>
    public readonly bool Inexact;

    private JsonNumber(ReadOnlySpan<byte> text, ulong mantissa, int exponent, bool negative, bool integer, bool inexact)
    {
        Text = text;
        Mantissa = mantissa;
        Exponent = exponent;
        Negative = negative;
        Integer = integer;
        Inexact = inexact;
    }

    /// <summary>
    /// Scans a number that follows JSON's grammar exactly (<c>-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?</c>)
    /// at <paramref name="json"/>[<paramref name="position"/>..]; on success moves the position past it.
    /// What follows the number is the caller's to check.
    /// </summary>
    public static bool TryScan(ReadOnlySpan<byte> json, scoped ref int position, out JsonNumber number)
    {
        number = default;
        var i = position;
        var negative = false;
        if (i < json.Length && json[i] == '-')
        {
            negative = true;
            i++;
        }
        if (i >= json.Length) return false;
        ulong mantissa = 0;
        var digits = 0;
        var exponent = 0;
        var inexact = false;
        var d = (uint)(json[i] - '0');
        if (d == 0)
        {
            i++;
        }
        else if (d <= 9)
        {
            // Eight digits at a time while they come in eights, then one at a time.
            while (digits <= MaxDigits - 8 && TryEightDigits(json, i, out var eight))
            {
                mantissa = mantissa * 100_000_000 + eight;
                digits += 8;
                i += 8;
            }
            while (i < json.Length && (d = (uint)(json[i] - '0')) <= 9)
            {
                if (digits < MaxDigits)
                {
                    mantissa = mantissa * 10 + d;
                    digits++;
                }
                else
                {
                    // A dropped digit counts as zero: exact when it is one.
                    exponent++;
                    inexact |= d != 0;
                }
                i++;
            }
        }
        else
        {
            return false;
        }

        var integer = true;
        if (i < json.Length && json[i] == '.')
        {
            integer = false;
            i++;
            if (i >= json.Length || json[i] - '0' is < 0 or > 9) return false;
            // Eight digits at once count as eight significant ones even when they start with
            // zeros: fewer digits kept, never a mantissa past 19 digits.
            while (digits <= MaxDigits - 8 && TryEightDigits(json, i, out var eight))
            {
                mantissa = mantissa * 100_000_000 + eight;
                digits += 8;
                exponent -= 8;
                i += 8;
            }
            while (i < json.Length && (d = (uint)(json[i] - '0')) <= 9)
            {
                if (digits < MaxDigits)
                {
                    // Zeros before the first significant digit only scale the value.
                    if (mantissa != 0 || d != 0)
                    {
                        mantissa = mantissa * 10 + d;
                        digits++;
                    }
                    exponent--;
                }
                else
                {
                    inexact |= d != 0;
                }
                i++;
            }
        }

        if (i < json.Length && (json[i] | 0x20) == 'e')
        {
            integer = false;
            i++;
            var negativeExponent = false;
            if (i < json.Length && json[i] is (byte)'+' or (byte)'-')
            {
                negativeExponent = json[i] == '-';
                i++;
            }
            if (i >= json.Length || (d = (uint)(json[i] - '0')) > 9) return false;
            var written = 0;
            do
            {
                // Past 100000 the value is 0 or infinite for every type; the platform parser says which.
                if (written < 100_000) written = written * 10 + (int)d;
                else inexact = true;
                i++;
            } while (i < json.Length && (d = (uint)(json[i] - '0')) <= 9);
            exponent += negativeExponent ? -written : written;
        }

        number = new JsonNumber(json[position..i], mantissa, exponent, negative, integer, inexact);
        position = i;
        return true;
    }

    /// <summary>
    /// Eight ASCII digits at json[i..] as their value, with a few integer operations instead of eight
    /// multiply-adds (the SWAR technique of the fast_float library).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryEightDigits(ReadOnlySpan<byte> json, int i, out uint value)
    {
        value = 0;
        if (json.Length - i < 8) return false;
        var chunk = BinaryPrimitives.ReadUInt64LittleEndian(json.Slice(i, 8));
        if ((((chunk + 0x4646_4646_4646_4646) | (chunk - 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080) != 0) return false;
        chunk -= 0x3030_3030_3030_3030;
        chunk = chunk * 10 + (chunk >> 8);
        value = (uint)(((chunk & 0x0000_00FF_0000_00FF) * 0x000F_4240_0000_0064 + ((chunk >> 16) & 0x0000_00FF_0000_00FF) * 0x0000_2710_0000_0001) >> 32);
        return true;
    }

    private static ReadOnlySpan<float> SinglePowersOfTen => [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    private static ReadOnlySpan<double> DoublePowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>The value as <c>float.Parse</c> gives it (infinite when out of range).</summary>
    public float ToSingle()
    {
        if (!Inexact)
        {
            if (Mantissa == 0) return Negative ? -0f : 0f;
            // Clinger's fast path: an exact integer times or over an exact power of ten is one
            // IEEE operation, hence correctly rounded.
            if (Mantissa <= 1UL << 24 && Exponent is >= -10 and <= 10)
            {
                var value = (float)Mantissa;
                value = Exponent < 0 ? value / SinglePowersOfTen[-Exponent] : value * SinglePowersOfTen[Exponent];
                return Negative ? -value : value;
            }
            // In double arithmetic the value is within a few units of the double's last place;
            // narrowing it to float rounds as the exact value would unless it is that close to
            // a midpoint between two floats (then the platform parser decides).
            if (Mantissa <= long.MaxValue && Exponent is >= -22 and <= 22)
            {
                var wide = (double)(long)Mantissa;
                wide = Exponent < 0 ? wide / DoublePowersOfTen[-Exponent] : wide * DoublePowersOfTen[Exponent];
                var belowFloat = (long)(BitConverter.DoubleToUInt64Bits(wide) & 0x1FFF_FFFF);
                if (wide < float.MaxValue && Math.Abs(belowFloat - 0x1000_0000) > 16)
                {
                    var value = (float)wide;
                    return Negative ? -value : value;
                }
            }
        }
        return float.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>The value as <c>double.Parse</c> gives it (infinite when out of range).</summary>
    public double ToDouble()
    {
        if (!Inexact)
        {
            if (Mantissa == 0) return Negative ? -0d : 0d;
            // Clinger's fast path, in double.
            if (Mantissa <= 1UL << 53 && Exponent is >= -22 and <= 22)
            {
                var value = (double)(long)Mantissa;
                value = Exponent < 0 ? value / DoublePowersOfTen[-Exponent] : value * DoublePowersOfTen[Exponent];
                return Negative ? -value : value;
            }
        }
        return double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>The value as a 64-bit integer, as <c>Utf8JsonReader.TryGetInt64</c> takes it (integers only).</summary>
    public bool TryGetInt64(out long value)
    {
        if (Integer && !Inexact && Exponent == 0 && Mantissa <= long.MaxValue)
        {
            value = Negative ? -(long)Mantissa : (long)Mantissa;
            return true;
        }
        return Utf8Parser.TryParse(Text, out value, out var consumed) && consumed == Text.Length;
    }

    /// <summary>The value as an unsigned 64-bit integer, as <c>Utf8JsonReader.TryGetUInt64</c> takes it.</summary>
    public bool TryGetUInt64(out ulong value)
    {
        if (Integer && !Inexact && Exponent == 0 && !Negative)
        {
            value = Mantissa;
            return true;
        }
        return Utf8Parser.TryParse(Text, out value, out var consumed) && consumed == Text.Length;
    }
}
