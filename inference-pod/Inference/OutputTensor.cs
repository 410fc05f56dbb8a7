using System.Buffers;

namespace Platform.InferencePod.Inference;

/// <summary>One request's slice of a model output, in a pooled buffer returned by <see cref="Release"/>.</summary>
public sealed class OutputTensor(TensorDataType dataType, long[] shape, byte[] buffer, int length)
{
    private byte[]? _buffer = buffer;

    public TensorDataType DataType { get; } = dataType;
    public long[] Shape { get; } = shape;
    public int Length { get; } = length;
    public ReadOnlySpan<byte> Data => (_buffer ?? throw new ObjectDisposedException(nameof(OutputTensor))).AsSpan(0, Length);

    public void Release()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
