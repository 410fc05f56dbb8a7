using System.Runtime.InteropServices;
using Google.Protobuf.Collections;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Grpc;

/// <summary>
/// Tensor data in the protocol's typed fields (<c>InferTensorContents</c>) to and from the raw
/// little-endian form the pod computes with. FP16 and BF16 have no typed field and travel raw.
/// </summary>
public static class TypedContents
{
    /// <summary>The typed field that carries a datatype, or null when it must travel raw.</summary>
    public static string? FieldName(TensorDataType type) => type switch
    {
        TensorDataType.Bool => "bool_contents",
        TensorDataType.Int8 or TensorDataType.Int16 or TensorDataType.Int32 => "int_contents",
        TensorDataType.Int64 => "int64_contents",
        TensorDataType.UInt8 or TensorDataType.UInt16 or TensorDataType.UInt32 => "uint_contents",
        TensorDataType.UInt64 => "uint64_contents",
        TensorDataType.Fp32 => "fp32_contents",
        TensorDataType.Fp64 => "fp64_contents",
        _ => null,
    };

    /// <summary>Decodes an input's typed contents into a pooled buffer of the request; 400s name the input and the problem.</summary>
    public static ReadOnlyMemory<byte> Decode(InferTensorContents? contents, TensorDataType type, long elements, int bytes, string name, long[] shape, InferenceRequest request)
    {
        var field = FieldName(type)
            ?? throw InferenceError.BadRequest($"input '{name}' is {type.ToProtocolName()}, which has no typed contents field; send it in raw_input_contents");
        contents ??= new InferTensorContents();
        foreach (var (other, count) in Counts(contents))
        {
            if (other != field && count > 0)
                throw InferenceError.BadRequest($"input '{name}' is {type.ToProtocolName()}, whose values go in {field}, but its contents has {count} values in {other}");
        }
        var given = Counts(contents).First(c => c.Field == field).Count;
        if (given != elements)
            throw InferenceError.BadRequest($"input '{name}': {field} has {given} values but shape {RequestDecoder.Format(shape)} needs {elements}");

        var buffer = request.RentBuffer(Math.Max(bytes, 1));
        var destination = buffer.AsSpan(0, bytes);
        switch (type)
        {
            case TensorDataType.Bool:
                for (var i = 0; i < contents.BoolContents.Count; i++) destination[i] = contents.BoolContents[i] ? (byte)1 : (byte)0;
                break;
            case TensorDataType.Int8:
                for (var i = 0; i < contents.IntContents.Count; i++)
                    destination[i] = (byte)(sbyte)Checked(contents.IntContents[i], sbyte.MinValue, sbyte.MaxValue, name, i, type);
                break;
            case TensorDataType.Int16:
                var int16 = MemoryMarshal.Cast<byte, short>(destination);
                for (var i = 0; i < int16.Length; i++) int16[i] = (short)Checked(contents.IntContents[i], short.MinValue, short.MaxValue, name, i, type);
                break;
            case TensorDataType.Int32:
                Copy(contents.IntContents, MemoryMarshal.Cast<byte, int>(destination));
                break;
            case TensorDataType.Int64:
                Copy(contents.Int64Contents, MemoryMarshal.Cast<byte, long>(destination));
                break;
            case TensorDataType.UInt8:
                for (var i = 0; i < contents.UintContents.Count; i++)
                    destination[i] = (byte)Checked(contents.UintContents[i], 0, byte.MaxValue, name, i, type);
                break;
            case TensorDataType.UInt16:
                var uint16 = MemoryMarshal.Cast<byte, ushort>(destination);
                for (var i = 0; i < uint16.Length; i++) uint16[i] = (ushort)Checked(contents.UintContents[i], 0, ushort.MaxValue, name, i, type);
                break;
            case TensorDataType.UInt32:
                Copy(contents.UintContents, MemoryMarshal.Cast<byte, uint>(destination));
                break;
            case TensorDataType.UInt64:
                Copy(contents.Uint64Contents, MemoryMarshal.Cast<byte, ulong>(destination));
                break;
            case TensorDataType.Fp32:
                Copy(contents.Fp32Contents, MemoryMarshal.Cast<byte, float>(destination));
                break;
            case TensorDataType.Fp64:
                Copy(contents.Fp64Contents, MemoryMarshal.Cast<byte, double>(destination));
                break;
        }
        return buffer.AsMemory(0, bytes);
    }

    /// <summary>Encodes raw little-endian output data into the typed field of its datatype.</summary>
    public static InferTensorContents Encode(TensorDataType type, ReadOnlySpan<byte> data)
    {
        var contents = new InferTensorContents();
        switch (type)
        {
            case TensorDataType.Bool: foreach (var v in data) contents.BoolContents.Add(v != 0); break;
            case TensorDataType.Int8: foreach (var v in MemoryMarshal.Cast<byte, sbyte>(data)) contents.IntContents.Add(v); break;
            case TensorDataType.Int16: foreach (var v in MemoryMarshal.Cast<byte, short>(data)) contents.IntContents.Add(v); break;
            case TensorDataType.Int32: contents.IntContents.AddRange(MemoryMarshal.Cast<byte, int>(data).ToArray()); break;
            case TensorDataType.Int64: contents.Int64Contents.AddRange(MemoryMarshal.Cast<byte, long>(data).ToArray()); break;
            case TensorDataType.UInt8: foreach (var v in data) contents.UintContents.Add(v); break;
            case TensorDataType.UInt16: foreach (var v in MemoryMarshal.Cast<byte, ushort>(data)) contents.UintContents.Add(v); break;
            case TensorDataType.UInt32: contents.UintContents.AddRange(MemoryMarshal.Cast<byte, uint>(data).ToArray()); break;
            case TensorDataType.UInt64: contents.Uint64Contents.AddRange(MemoryMarshal.Cast<byte, ulong>(data).ToArray()); break;
            case TensorDataType.Fp32: contents.Fp32Contents.AddRange(MemoryMarshal.Cast<byte, float>(data).ToArray()); break;
            case TensorDataType.Fp64: contents.Fp64Contents.AddRange(MemoryMarshal.Cast<byte, double>(data).ToArray()); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "this datatype travels raw");
        }
        return contents;
    }

    private static IEnumerable<(string Field, int Count)> Counts(InferTensorContents contents)
    {
        yield return ("bool_contents", contents.BoolContents.Count);
        yield return ("int_contents", contents.IntContents.Count);
        yield return ("int64_contents", contents.Int64Contents.Count);
        yield return ("uint_contents", contents.UintContents.Count);
        yield return ("uint64_contents", contents.Uint64Contents.Count);
        yield return ("fp32_contents", contents.Fp32Contents.Count);
        yield return ("fp64_contents", contents.Fp64Contents.Count);
        yield return ("bytes_contents", contents.BytesContents.Count);
    }

    private static long Checked(long value, long min, long max, string name, int index, TensorDataType type)
    {
        if (value < min || value > max)
            throw InferenceError.BadRequest($"input '{name}': data element {index} is not a valid {type.ToProtocolName()} value");
        return value;
    }

    private static void Copy<T>(RepeatedField<T> source, Span<T> destination)
    {
        for (var i = 0; i < destination.Length; i++) destination[i] = source[i];
    }
}
