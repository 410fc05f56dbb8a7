using System.Buffers;
using System.Buffers.Binary;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Caching;

/// <summary>
/// The stored form of a cached answer: the outputs the request selected, each with its index,
/// datatype, shape and raw bytes. Read back only when it agrees with the model in every
/// respect, because a shared store (Redis) may hold anything.
/// </summary>
public static class CachedOutputs
{
    private const uint Magic = 0x31434950; // "PIC1"
    private const int MaxRank = 16;

    /// <summary>Encodes the outputs <paramref name="request"/> selected.</summary>
    public static byte[] Encode(InferenceRequest request, OutputTensor[] outputs)
    {
        var selected = Selected(request, outputs.Length);
        var length = 8;
        foreach (var index in selected) length += 12 + 8 * outputs[index].Shape.Length + 4 + outputs[index].Length;
        var bytes = new byte[length];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], selected.Length);
        var at = 8;
        foreach (var index in selected)
        {
            var output = outputs[index];
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], index);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 4)..], (int)output.DataType);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 8)..], output.Shape.Length);
            at += 12;
            foreach (var dim in output.Shape)
            {
                BinaryPrimitives.WriteInt64LittleEndian(span[at..], dim);
                at += 8;
            }
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], output.Length);
            at += 4;
            output.Data.CopyTo(span[at..]);
            at += output.Length;
        }
        return bytes;
    }

    /// <summary>
    /// Decodes into one pooled tensor per model output (the unselected ones empty); false, with
    /// nothing rented, when the bytes are not a well-formed answer to this request.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, ModelMetadata model, InferenceRequest request, out OutputTensor[] outputs)
    {
        outputs = [];
        var selected = Selected(request, model.Outputs.Count);
        if (bytes.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic) return false;
        if (BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]) != selected.Length) return false;
        var parts = new (int Index, TensorDataType Type, long[] Shape, int Offset, int Length)[selected.Length];
        var at = 8;
        for (var s = 0; s < selected.Length; s++)
        {
            if (bytes.Length - at < 12) return false;
            var index = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
            var type = (TensorDataType)BinaryPrimitives.ReadInt32LittleEndian(bytes[(at + 4)..]);
            var rank = BinaryPrimitives.ReadInt32LittleEndian(bytes[(at + 8)..]);
            at += 12;
            if (index != selected[s] || type != model.Outputs[index].DataType || rank is < 0 or > MaxRank) return false;
            if (bytes.Length - at < 8 * rank + 4) return false;
            var shape = new long[rank];
            long elements = 1;
            for (var d = 0; d < rank; d++)
            {
                shape[d] = BinaryPrimitives.ReadInt64LittleEndian(bytes[at..]);
                at += 8;
                if (shape[d] < 0 || shape[d] > int.MaxValue) return false;
                elements *= shape[d];
                if (elements > int.MaxValue) return false;
            }
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
            at += 4;
            if (length < 0 || length != elements * type.ElementSize() || bytes.Length - at < length) return false;
            parts[s] = (index, type, shape, at, length);
            at += length;
        }
        if (at != bytes.Length) return false;

        outputs = new OutputTensor[model.Outputs.Count];
        foreach (var (index, type, shape, offset, length) in parts)
        {
            if (outputs[index] is not null) continue; // the same output asked for twice
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            bytes.Slice(offset, length).CopyTo(buffer);
            outputs[index] = new OutputTensor(type, shape, buffer, length);
        }
        for (var i = 0; i < outputs.Length; i++)
        {
            // Never encoded (not selected), but every slot holds a tensor the caller can release.
            outputs[i] ??= new OutputTensor(model.Outputs[i].DataType, [0], ArrayPool<byte>.Shared.Rent(1), 0);
        }
        return true;
    }

    private static int[] Selected(InferenceRequest request, int outputCount)
    {
        if (request.Outputs is null) return Enumerable.Range(0, outputCount).ToArray();
        var selected = new int[request.Outputs.Length];
        for (var i = 0; i < selected.Length; i++) selected[i] = request.Outputs[i].OutputIndex;
        return selected;
    }
}
