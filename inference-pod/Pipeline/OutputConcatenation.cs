using System.Buffers;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Pipeline;

/// <summary>Joins the outputs of a job's chunks back along the batch axis, in chunk order.</summary>
public static class OutputConcatenation
{
    /// <summary>One pooled tensor per output, holding every part's rows; the parts are left to the caller.</summary>
    public static OutputTensor[] Concat(IReadOnlyList<OutputTensor[]> parts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        var joined = new OutputTensor[parts[0].Length];
        for (var o = 0; o < joined.Length; o++)
        {
            var length = 0;
            long rows = 0;
            foreach (var part in parts)
            {
                length = checked(length + part[o].Length);
                rows += part[o].Shape[0];
            }
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            var offset = 0;
            foreach (var part in parts)
            {
                part[o].Data.CopyTo(buffer.AsSpan(offset));
                offset += part[o].Length;
            }
            var shape = (long[])parts[0][o].Shape.Clone();
            shape[0] = rows;
            joined[o] = new OutputTensor(parts[0][o].DataType, shape, buffer, length);
        }
        return joined;
    }
}
