using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Caching;

/// <summary>
/// The SHA-256 of everything that decides a model's answer: model name and version, every
/// input's name, datatype, shape and raw bytes, and which outputs were asked for. How the
/// answer is encoded (JSON or binary, the request id) is left out: that is applied afterwards.
/// </summary>
public readonly record struct CacheKey(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>Tags the layout hashed below; changing that layout changes this so old entries never match.</summary>
    private static readonly byte[] Domain = "platform-inference-cache-v1"u8.ToArray();

    public static CacheKey For(ModelMetadata model, InferenceRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        hash.AppendData(Domain);
        AppendString(hash, model.Name, number);
        AppendString(hash, model.Version, number);
        AppendInt(hash, request.Inputs.Length, number);
        foreach (var input in request.Inputs)
        {
            AppendString(hash, input.Name, number);
            AppendInt(hash, (int)input.DataType, number);
            AppendInt(hash, input.Shape.Length, number);
            foreach (var dim in input.Shape)
            {
                BinaryPrimitives.WriteInt64LittleEndian(number, dim);
                hash.AppendData(number);
            }
            AppendInt(hash, input.Data.Length, number);
            hash.AppendData(input.Data.Span);
        }
        if (request.Outputs is null)
        {
            AppendInt(hash, -1, number);
        }
        else
        {
            AppendInt(hash, request.Outputs.Length, number);
            foreach (var output in request.Outputs) AppendInt(hash, output.OutputIndex, number);
        }
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return new CacheKey(
            BinaryPrimitives.ReadUInt64BigEndian(digest),
            BinaryPrimitives.ReadUInt64BigEndian(digest[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(digest[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(digest[24..]));
    }

    /// <summary>The digest as 64 lowercase hex digits.</summary>
    public string ToHex() => $"{A:x16}{B:x16}{C:x16}{D:x16}";

    public override string ToString() => ToHex();

    private static void AppendInt(IncrementalHash hash, int value, Span<byte> scratch)
    {
        BinaryPrimitives.WriteInt32LittleEndian(scratch, value);
        hash.AppendData(scratch[..4]);
    }

    private static void AppendString(IncrementalHash hash, string value, Span<byte> scratch)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        AppendInt(hash, bytes.Length, scratch);
        hash.AppendData(bytes);
    }
}
