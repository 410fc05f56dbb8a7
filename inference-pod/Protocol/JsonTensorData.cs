using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// The fast path for an input's <c>data</c> array: one pass over the JSON text that checks its
/// grammar and writes each element, converted once, straight into the tensor buffer. It only
/// says whether it succeeded: anything unusual (a string, null, an element outside the
/// datatype, a count that does not match the shape, deep nesting, bad JSON) returns false,
/// and the caller decodes the array the general way, which names the problem.
/// </summary>
public static partial class JsonTensorData
{
    /// <summary>Nesting of the data array the fast path takes (a tensor has at most 16 dimensions); deeper goes the general way.</summary>
    private const int MaxNesting = RequestValidation.MaxRank;

    /// <summary>
    /// Decodes the array that starts at <paramref name="json"/>[<paramref name="start"/>] (a '[')
    /// into <paramref name="destination"/>, which holds exactly <paramref name="elements"/> elements
    /// of <paramref name="type"/>. <paramref name="end"/> is the index of the array's closing ']'.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> json, int start, TensorDataType type, long elements, Span<byte> destination, out int end) =>
        TryDecode(json, start, type, elements, destination, out end, PiecesMinimumElements);

    /// <param name="piecesMinimum">Flat arrays of at least this many elements are decoded in pieces on every core at once (<see cref="TryDecodePieces"/>).</param>
    internal static bool TryDecode(ReadOnlySpan<byte> json, int start, TensorDataType type, long elements, Span<byte> destination, out int end, long piecesMinimum) => type switch
    {
        TensorDataType.Fp32 => TryDecode<Fp32>(json, start, elements, destination, out end, piecesMinimum),
        TensorDataType.Fp64 => TryDecode<Fp64>(json, start, elements, destination, out end, piecesMinimum),
        TensorDataType.Fp16 => TryDecode<Fp16>(json, start, elements, destination, out end, piecesMinimum),
        TensorDataType.Bf16 => TryDecode<Bf16>(json, start, elements, destination, out end, piecesMinimum),
        TensorDataType.Int64 => TryDecode<Int64>(json, start, elements, destination, out end, piecesMinimum),
        TensorDataType.Int32 => TryDecode<Int32>(json, start, elements, destination, out end, piecesMinimum),
        TensorDataType.Int16 => TryDecode<Int16>(json, start, elements, destination, out end, piecesMinimum),
        TensorDataType.Int8 => TryDecode<Int8>(json, start, elements, destination, out end, piecesMinimum),
        TensorDataType.UInt64 => TryDecode<UInt64>(json, start, elements, destination, out end, piecesMinimum),
        TensorDataType.UInt32 => TryDecode<UInt32>(json, start, elements, destination, out end, piecesMinimum),
        TensorDataType.UInt16 => TryDecode<UInt16>(json, start, elements, destination, out end, piecesMinimum),
        TensorDataType.UInt8 => TryDecode<UInt8>(json, start, elements, destination, out end, piecesMinimum),
        TensorDataType.Bool => TryDecode<Bool>(json, start, elements, destination, out end, piecesMinimum),
        _ => Fail(out end),
    };

    private static bool TryDecode<TElement>(ReadOnlySpan<byte> json, int start, long elements, Span<byte> destination, out int end, long piecesMinimum)
        where TElement : struct, IElement =>
        elements >= piecesMinimum && Environment.ProcessorCount > 1 && TryDecodePieces<TElement>(json, start, elements, destination, out end)
        || TryScan<TElement>(json, start, elements, destination, out end);

    /// <summary>
    /// Checks that the array at <paramref name="json"/>[<paramref name="start"/>] holds only numbers,
    /// booleans and nested arrays, in valid JSON, without converting anything; for an array that
    /// comes before the shape it must have, decoded later with <see cref="TryDecode"/>.
    /// </summary>
    public static bool TrySkip(ReadOnlySpan<byte> json, int start, out int end) => TryScan<Unchecked>(json, start, long.MaxValue, default, out end);

    private static bool Fail(out int end)
    {
        end = -1;
        return false;
    }

    private static bool TryScan<TElement>(ReadOnlySpan<byte> json, int start, long elements, Span<byte> destination, out int end)
        where TElement : struct, IElement
    {
        end = -1;
        if (start >= json.Length || json[start] != '[') return false;
        var position = start + 1;
        var depth = 1;
        long count = 0;
        // After '[' a value or ']' may follow; after ',' only a value; after a value ',' or ']'.
        var afterValue = false;
        var afterComma = false;
        while (true)
        {
            var c = NextNonSpace(json, ref position);
            if (c < 0) return false;
            if (afterValue)
            {
                if (c == ',')
                {
                    afterValue = false;
                    afterComma = true;
                    position++;
                    continue;
                }
                if (c != ']') return false;
            }
            if (c == ']')
            {
                if (afterComma) return false;
                if (--depth == 0) break;
                afterValue = true;
                position++;
                continue;
            }
            if (c == '[')
            {
                if (++depth > MaxNesting) return false;
                afterComma = false;
                position++;
                continue;
            }
            if (count >= elements) return false;
            if (!TryScanElement<TElement>(json, ref position, c, destination, count)) return false;
            count++;
            afterValue = true;
            afterComma = false;
        }
        if (elements != long.MaxValue && count != elements) return false;
        end = position;
        return true;
    }

    /// <summary>
    /// The value that starts with <paramref name="c"/> at <paramref name="position"/> (a boolean or a
    /// number), written as element <paramref name="index"/>; the position moves past it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryScanElement<TElement>(ReadOnlySpan<byte> json, ref int position, int c, Span<byte> destination, long index)
        where TElement : struct, IElement
    {
        if (c is 't' or 'f')
        {
            var value = c == 't';
            var literal = value ? "true"u8 : "false"u8;
            if (!json[position..].StartsWith(literal)) return false;
            position += literal.Length;
            return TElement.Write(value, Element<TElement>(destination, index));
        }
        return JsonNumber.TryScan(json, ref position, out var number) && TElement.Write(number, Element<TElement>(destination, index));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextNonSpace(ReadOnlySpan<byte> json, ref int position)
    {
        while (position < json.Length)
        {
            var c = json[position];
            if (c is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')) return c;
            position++;
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<byte> Element<TElement>(Span<byte> destination, long index) where TElement : struct, IElement =>
        TElement.Size == 0 ? default : destination.Slice((int)index * TElement.Size, TElement.Size);

    /// <summary>How one datatype takes a number or a boolean; each says no exactly where the general decoder does.</summary>
    private interface IElement
    {
        static abstract int Size { get; }
        static abstract bool Write(in JsonNumber number, Span<byte> destination);
        static virtual bool Write(bool value, Span<byte> destination) => false;
    }

    private struct Unchecked : IElement
    {
        public static int Size => 0;
        public static bool Write(in JsonNumber number, Span<byte> destination) => true;
        public static bool Write(bool value, Span<byte> destination) => true;
    }

    private struct Fp32 : IElement
    {
        public static int Size => 4;
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            var value = number.ToSingle();
            MemoryMarshal.Write(destination, in value);
            return float.IsFinite(value);
        }
    }

    private struct Fp64 : IElement
    {
        public static int Size => 8;
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            var value = number.ToDouble();
            MemoryMarshal.Write(destination, in value);
            return double.IsFinite(value);
        }
    }

    private struct Fp16 : IElement
    {
        public static int Size => 2;
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            var wide = number.ToDouble();
            var value = (Half)wide;
            MemoryMarshal.Write(destination, in value);
            return double.IsFinite(wide);
        }
    }

    private struct Bf16 : IElement
    {
        public static int Size => 2;
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            var value = number.ToSingle();
            var bits = BitConverter.SingleToUInt32Bits(value);
            // Round to nearest even on the upper 16 bits, as the general decoder does.
            BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16));
            return float.IsFinite(value);
        }
    }

    private struct Int64 : IElement
    {
        public static int Size => 8;
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            if (!number.TryGetInt64(out var value)) return false;
            MemoryMarshal.Write(destination, in value);
            return true;
        }
    }

    private struct Int32 : IElement
    {
        public static int Size => 4;
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            if (!number.TryGetInt64(out var value) || value is < int.MinValue or > int.MaxValue) return false;
            var narrow = (int)value;
            MemoryMarshal.Write(destination, in narrow);
            return true;
        }
    }

    private struct Int16 : IElement
    {
        public static int Size => 2;
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            if (!number.TryGetInt64(out var value) || value is < short.MinValue or > short.MaxValue) return false;
            var narrow = (short)value;
            MemoryMarshal.Write(destination, in narrow);
            return true;
        }
    }

    private struct Int8 : IElement
    {
        public static int Size => 1;
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            if (!number.TryGetInt64(out var value) || value is < sbyte.MinValue or > sbyte.MaxValue) return false;
            destination[0] = (byte)(sbyte)value;
            return true;
        }
    }

    private struct UInt64 : IElement
    {
        public static int Size => 8;
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            if (!number.TryGetUInt64(out var value)) return false;
            MemoryMarshal.Write(destination, in value);
            return true;
        }
    }

    private struct UInt32 : IElement
    {
        public static int Size => 4;
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            if (!number.TryGetInt64(out var value) || value is < 0 or > uint.MaxValue) return false;
            var narrow = (uint)value;
            MemoryMarshal.Write(destination, in narrow);
            return true;
        }
    }

    private struct UInt16 : IElement
    {
        public static int Size => 2;
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            if (!number.TryGetInt64(out var value) || value is < 0 or > ushort.MaxValue) return false;
            var narrow = (ushort)value;
            MemoryMarshal.Write(destination, in narrow);
            return true;
        }
    }

    private struct UInt8 : IElement
    {
        public static int Size => 1;
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            if (!number.TryGetInt64(out var value) || value is < 0 or > byte.MaxValue) return false;
            destination[0] = (byte)value;
            return true;
        }
    }

    private struct Bool : IElement
    {
        public static int Size => 1;

        // The general decoder takes 0 and 1 through TryGetInt32, which accepts exactly what TryGetInt64 does in that range.
        public static bool Write(in JsonNumber number, Span<byte> destination)
        {
            if (!number.TryGetInt64(out var value) || value is not (0 or 1)) return false;
            destination[0] = (byte)value;
            return true;
        }

        public static bool Write(bool value, Span<byte> destination)
        {
            destination[0] = value ? (byte)1 : (byte)0;
            return true;
        }
    }
}
