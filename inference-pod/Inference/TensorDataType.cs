namespace Platform.InferencePod.Inference;

/// <summary>Tensor element types of the Open Inference Protocol that the pod can carry.</summary>
public enum TensorDataType
{
    Bool,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Int8,
    Int16,
    Int32,
    Int64,
    Fp16,
    Fp32,
    Fp64,
    Bf16,
}

public static class TensorDataTypes
{
    /// <summary>The protocol's name of a datatype ("FP32").</summary>
    public static string ToProtocolName(this TensorDataType type) => type switch
    {
        TensorDataType.Bool => "BOOL",
        TensorDataType.UInt8 => "UINT8",
        TensorDataType.UInt16 => "UINT16",
        TensorDataType.UInt32 => "UINT32",
        TensorDataType.UInt64 => "UINT64",
        TensorDataType.Int8 => "INT8",
        TensorDataType.Int16 => "INT16",
        TensorDataType.Int32 => "INT32",
        TensorDataType.Int64 => "INT64",
        TensorDataType.Fp16 => "FP16",
        TensorDataType.Fp32 => "FP32",
        TensorDataType.Fp64 => "FP64",
        TensorDataType.Bf16 => "BF16",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses a protocol datatype name without allocating; false for unknown names and BYTES.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Name, out TensorDataType type)
    {
        switch (utf8Name)
        {
            case var s when s.SequenceEqual("FP32"u8): type = TensorDataType.Fp32; return true;
            case var s when s.SequenceEqual("INT64"u8): type = TensorDataType.Int64; return true;
            case var s when s.SequenceEqual("INT32"u8): type = TensorDataType.Int32; return true;
            case var s when s.SequenceEqual("UINT8"u8): type = TensorDataType.UInt8; return true;
            case var s when s.SequenceEqual("BOOL"u8): type = TensorDataType.Bool; return true;
            case var s when s.SequenceEqual("FP16"u8): type = TensorDataType.Fp16; return true;
            case var s when s.SequenceEqual("FP64"u8): type = TensorDataType.Fp64; return true;
            case var s when s.SequenceEqual("INT8"u8): type = TensorDataType.Int8; return true;
            case var s when s.SequenceEqual("INT16"u8): type = TensorDataType.Int16; return true;
            case var s when s.SequenceEqual("UINT16"u8): type = TensorDataType.UInt16; return true;
            case var s when s.SequenceEqual("UINT32"u8): type = TensorDataType.UInt32; return true;
            case var s when s.SequenceEqual("UINT64"u8): type = TensorDataType.UInt64; return true;
            case var s when s.SequenceEqual("BF16"u8): type = TensorDataType.Bf16; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Bytes per element in the little-endian raw form the binary extension and ONNX Runtime use.</summary>
    public static int ElementSize(this TensorDataType type) => type switch
    {
        TensorDataType.Bool or TensorDataType.UInt8 or TensorDataType.Int8 => 1,
        TensorDataType.UInt16 or TensorDataType.Int16 or TensorDataType.Fp16 or TensorDataType.Bf16 => 2,
        TensorDataType.UInt32 or TensorDataType.Int32 or TensorDataType.Fp32 => 4,
        TensorDataType.UInt64 or TensorDataType.Int64 or TensorDataType.Fp64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
