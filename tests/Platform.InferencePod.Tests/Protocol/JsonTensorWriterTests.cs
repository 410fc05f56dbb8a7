using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using CsCheck;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Tests.Protocol;

/// <summary>A tensor written as a data array is byte for byte what the JSON writer writes value by value.</summary>
public sealed class JsonTensorWriterTests
{
    private static readonly TensorDataType[] Types = Enum.GetValues<TensorDataType>();

    [Fact]
    public void Every_datatype_is_written_as_the_json_writer_writes_it() =>
        Gen.Select(Gen.Int[0, Types.Length - 1], Gen.Byte.Array[0, 64]).Sample((typeIndex, bytes) =>
        {
            var type = Types[typeIndex];
            var size = type.ElementSize();
            var data = bytes.AsSpan(0, bytes.Length / size * size).ToArray();
            if (!AllFinite(type, data)) return;
            Assert.Equal(ValueByValue(type, data), Written(type, data));
        }, iter: 20_000);

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_value_json_cannot_hold_is_refused_as_before(float value)
    {
        var data = BitConverter.GetBytes(value);
        Assert.Throws<ArgumentException>(() => Written(TensorDataType.Fp32, data));
    }

    private static bool AllFinite(TensorDataType type, byte[] data) => type switch
    {
        TensorDataType.Fp32 => MemoryMarshal.Cast<byte, float>(data).ToArray().All(float.IsFinite),
        TensorDataType.Fp64 => MemoryMarshal.Cast<byte, double>(data).ToArray().All(double.IsFinite),
        TensorDataType.Fp16 => MemoryMarshal.Cast<byte, Half>(data).ToArray().All(Half.IsFinite),
        TensorDataType.Bf16 => Enumerable.Range(0, data.Length / 2).All(i => float.IsFinite(BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(i * 2)) << 16))),
        _ => true,
    };

    private static string Written(TensorDataType type, byte[] data)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Options))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("data"u8);
            JsonTensorWriter.WriteData(writer, type, data);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>How the response encoder wrote data arrays before: one writer call per value.</summary>
    private static string ValueByValue(TensorDataType type, ReadOnlySpan<byte> data)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Options))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data"u8);
            switch (type)
            {
                case TensorDataType.Fp32: foreach (var v in MemoryMarshal.Cast<byte, float>(data)) writer.WriteNumberValue(v); break;
                case TensorDataType.Fp64: foreach (var v in MemoryMarshal.Cast<byte, double>(data)) writer.WriteNumberValue(v); break;
                case TensorDataType.Fp16: foreach (var v in MemoryMarshal.Cast<byte, Half>(data)) writer.WriteNumberValue((float)v); break;
                case TensorDataType.Bf16:
                    for (var i = 0; i < data.Length; i += 2)
                        writer.WriteNumberValue(BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(data[i..]) << 16));
                    break;
                case TensorDataType.Int64: foreach (var v in MemoryMarshal.Cast<byte, long>(data)) writer.WriteNumberValue(v); break;
                case TensorDataType.Int32: foreach (var v in MemoryMarshal.Cast<byte, int>(data)) writer.WriteNumberValue(v); break;
                case TensorDataType.Int16: foreach (var v in MemoryMarshal.Cast<byte, short>(data)) writer.WriteNumberValue(v); break;
                case TensorDataType.Int8: foreach (var v in MemoryMarshal.Cast<byte, sbyte>(data)) writer.WriteNumberValue(v); break;
                case TensorDataType.UInt64: foreach (var v in MemoryMarshal.Cast<byte, ulong>(data)) writer.WriteNumberValue(v); break;
                case TensorDataType.UInt32: foreach (var v in MemoryMarshal.Cast<byte, uint>(data)) writer.WriteNumberValue(v); break;
                case TensorDataType.UInt16: foreach (var v in MemoryMarshal.Cast<byte, ushort>(data)) writer.WriteNumberValue(v); break;
                case TensorDataType.UInt8: foreach (var v in data) writer.WriteNumberValue(v); break;
                case TensorDataType.Bool: foreach (var v in data) writer.WriteBooleanValue(v != 0); break;
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
