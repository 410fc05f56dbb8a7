using Microsoft.ML.OnnxRuntime.Tensors;

namespace Platform.LoadGen.Tensors;

/// <summary>An element type the generator can fill with random values and serialize, by its V2 protocol name.</summary>
internal sealed record TensorDataType(string ProtocolName, TensorElementType OrtType, int ByteSize)
{
    public static readonly TensorDataType Fp32 = new("FP32", TensorElementType.Float, 4);
    public static readonly TensorDataType Fp64 = new("FP64", TensorElementType.Double, 8);
    public static readonly TensorDataType Int8 = new("INT8", TensorElementType.Int8, 1);
    public static readonly TensorDataType Uint8 = new("UINT8", TensorElementType.UInt8, 1);
    public static readonly TensorDataType Int32 = new("INT32", TensorElementType.Int32, 4);
    public static readonly TensorDataType Int64 = new("INT64", TensorElementType.Int64, 8);

    public static IReadOnlyList<TensorDataType> All { get; } = [Fp32, Fp64, Int8, Uint8, Int32, Int64];

    private static string Supported => string.Join(", ", All.Select(t => t.ProtocolName));

    public static TensorDataType FromProtocolName(string tensor, string name) =>
        All.FirstOrDefault(t => string.Equals(t.ProtocolName, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new LoadGenException($"tensor '{tensor}' has datatype {name}, which loadgen cannot generate (it can: {Supported})");

    public static TensorDataType FromOrt(string tensor, TensorElementType type) =>
        All.FirstOrDefault(t => t.OrtType == type)
        ?? throw new LoadGenException($"tensor '{tensor}' has element type {type}, which loadgen cannot generate (it can: {Supported})");
}
