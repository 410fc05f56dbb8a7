using System.Buffers.Binary;
using Microsoft.ML.OnnxRuntime.Tensors;
using System.Text.Json;

namespace Platform.LoadGen.Tensors;

/// <summary>Writes tensor bytes as the flat "data" array of the V2 JSON form.</summary>
internal static class TensorJson
{
    public static void WriteData(Utf8JsonWriter writer, TensorDataType type, ReadOnlySpan<byte> bytes)
    {
        writer.WriteStartArray();
        for (var offset = 0; offset < bytes.Length; offset += type.ByteSize)
        {
            var element = bytes.Slice(offset, type.ByteSize);
            switch (type.OrtType)
            {
                case TensorElementType.Float: writer.WriteNumberValue(BinaryPrimitives.ReadSingleLittleEndian(element)); break;
                case TensorElementType.Double: writer.WriteNumberValue(BinaryPrimitives.ReadDoubleLittleEndian(element)); break;
                case TensorElementType.Int8: writer.WriteNumberValue((sbyte)element[0]); break;
                case TensorElementType.UInt8: writer.WriteNumberValue(element[0]); break;
                case TensorElementType.Int32: writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(element)); break;
                case TensorElementType.Int64: writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(element)); break;
                default: throw new LoadGenException($"no JSON writer for {type.ProtocolName}");
            }
        }
        writer.WriteEndArray();
    }
}
