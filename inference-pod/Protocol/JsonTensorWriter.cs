using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// Writes a tensor as a JSON <c>data</c> array: each value formatted straight into a pooled
/// buffer (shortest round-trip text for floats, the same bytes <see cref="Utf8JsonWriter"/> writes
/// value by value), the whole array then handed to the writer as one raw value, without the
/// writer's per-value bookkeeping.
/// </summary>
public static class JsonTensorWriter
{
    /// <summary>Longest text of one value: a float or double in shortest round-trip form, or a 64-bit integer.</summary>
    private const int MaxValueLength = 32;

    public static void WriteData(Utf8JsonWriter writer, TensorDataType type, ReadOnlySpan<byte> data)
    {
        using var text = new PooledBufferWriter(Math.Max(64, data.Length * 3));
        Append(text, "["u8);
        switch (type)
        {
            case TensorDataType.Fp32: foreach (var v in MemoryMarshal.Cast<byte, float>(data)) AppendFloat(text, writer, v); break;
            case TensorDataType.Fp64: foreach (var v in MemoryMarshal.Cast<byte, double>(data)) AppendDouble(text, writer, v); break;
            case TensorDataType.Fp16: foreach (var v in MemoryMarshal.Cast<byte, Half>(data)) AppendFloat(text, writer, (float)v); break;
            case TensorDataType.Bf16:
                for (var i = 0; i < data.Length; i += 2)
                    AppendFloat(text, writer, BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(data[i..]) << 16));
                break;
            case TensorDataType.Int64: foreach (var v in MemoryMarshal.Cast<byte, long>(data)) AppendFormatted(text, v); break;
            case TensorDataType.Int32: foreach (var v in MemoryMarshal.Cast<byte, int>(data)) AppendFormatted(text, v); break;
            case TensorDataType.Int16: foreach (var v in MemoryMarshal.Cast<byte, short>(data)) AppendFormatted(text, v); break;
            case TensorDataType.Int8: foreach (var v in MemoryMarshal.Cast<byte, sbyte>(data)) AppendFormatted(text, v); break;
            case TensorDataType.UInt64: foreach (var v in MemoryMarshal.Cast<byte, ulong>(data)) AppendFormatted(text, v); break;
            case TensorDataType.UInt32: foreach (var v in MemoryMarshal.Cast<byte, uint>(data)) AppendFormatted(text, v); break;
            case TensorDataType.UInt16: foreach (var v in MemoryMarshal.Cast<byte, ushort>(data)) AppendFormatted(text, v); break;
            case TensorDataType.UInt8: foreach (var v in data) AppendFormatted(text, v); break;
            case TensorDataType.Bool: foreach (var v in data) Append(text, v != 0 ? "true,"u8 : "false,"u8); break;
        }
        // The last value's comma becomes the closing bracket.
        if (text.WrittenCount > 1) text.Unwrite(1);
        Append(text, "]"u8);
        writer.WriteRawValue(text.WrittenSpan, skipInputValidation: true);
    }

    private static void Append(PooledBufferWriter text, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(text.GetSpan(bytes.Length));
        text.Advance(bytes.Length);
    }

    private static void AppendFloat(PooledBufferWriter text, Utf8JsonWriter writer, float value)
    {
        // JSON has no NaN or infinity: the writer refuses them as it always has.
        if (!float.IsFinite(value)) writer.WriteNumberValue(value);
        AppendFormatted(text, value);
    }

    private static void AppendDouble(PooledBufferWriter text, Utf8JsonWriter writer, double value)
    {
        if (!double.IsFinite(value)) writer.WriteNumberValue(value);
        AppendFormatted(text, value);
    }

    private static void AppendFormatted<T>(PooledBufferWriter text, T value) where T : IUtf8SpanFormattable
    {
        var span = text.GetSpan(MaxValueLength);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        span[written] = (byte)',';
        text.Advance(written + 1);
    }
}
