using System.Buffers;
using Platform.Contracts;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Protocol;

/// <summary>Reads a request body into one pooled buffer, refusing bodies over the configured limit.</summary>
public static class RequestBody
{
    public static async Task<(byte[] Buffer, int Length)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) throw TooLarge(request.ContentLength.Value, limit);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 16 * 1024, 1, limit + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit) throw TooLarge(length, limit);
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) break;
                length += read;
                if (length > limit) throw TooLarge(length, limit);
            }
            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static InferenceError TooLarge(long length, long limit) => new(StatusCodes.Status413PayloadTooLarge,
        $"request body of {length} bytes or more exceeds the limit of {limit} bytes ({PodSettings.ServerMaxRequestBodyBytes})",
        PodMetrics.Reasons.BadRequest);
}
