
namespace Platform.InferencePod.Inference;

/// <summary>An input tensor of a request in raw little-endian form, protocol-neutral.</summary>
public sealed class RequestTensor(string name, TensorDataType dataType, long[] shape, ReadOnlyMemory<byte> data)
{
    public string Name { get; } = name;
    public TensorDataType DataType { get; } = dataType;
    public long[] Shape { get; } = shape;
    public ReadOnlyMemory<byte> Data { get; } = data;

    /// <summary>Elements per row along axis 0 (the product of the other dimensions).</summary>
    public long ElementsPerRow
    {
        get
        {
            long n = 1;
            for (var i = 1; i < Shape.Length; i++) n *= Shape[i];
            return n;
        }
    }
}
