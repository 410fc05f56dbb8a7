using System.Buffers.Binary;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Platform.LoadGen.Tensors;

/// <summary>Random tensor contents as little-endian bytes, reproducible from a seed.</summary>
internal static class RandomTensor
{
    /// <summary>
    /// Floating-point elements are uniform in [-1, 1); integer elements are in [0, 10), small enough
    /// to be valid if the model uses them as indices.
    /// </summary>
    public static byte[] Create(TensorDataType type, long elementCount, Random random)
    {
        var byteCount = checked(elementCount * type.ByteSize);
        if (byteCount > Array.MaxLength)
        {
            throw new LoadGenException($"a tensor of {elementCount} {type.ProtocolName} elements is too large to generate");
        }
        var bytes = new byte[byteCount];
        var span = bytes.AsSpan();
        for (var i = 0; i < elementCount; i++)
        {
            var element = span.Slice(i * type.ByteSize, type.ByteSize);
            switch (type.OrtType)
            {
                case TensorElementType.Float: BinaryPrimitives.WriteSingleLittleEndian(element, (float)(random.NextDouble() * 2 - 1)); break;
                case TensorElementType.Double: BinaryPrimitives.WriteDoubleLittleEndian(element, random.NextDouble() * 2 - 1); break;
                case TensorElementType.Int8 or TensorElementType.UInt8: element[0] = (byte)random.Next(10); break;
                case TensorElementType.Int32: BinaryPrimitives.WriteInt32LittleEndian(element, random.Next(10)); break;
                case TensorElementType.Int64: BinaryPrimitives.WriteInt64LittleEndian(element, random.Next(10)); break;
                default: throw new LoadGenException($"no generator for {type.ProtocolName}");
            }
        }
        return bytes;
    }
}
