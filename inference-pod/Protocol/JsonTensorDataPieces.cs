using System.Buffers;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// A large flat <c>data</c> array converted in pieces on every core at once. Number conversion
/// is most of a JSON tensor's cost (about 25 ns a number: 3-4 ms for one 224×224×3 image) and it
/// runs before the request can queue, so on a pod with idle cores it is latency the client waits
/// for. The pieces are cut at commas and each knows its first element from the commas before it
/// (two vectorized passes, about 0.1 ms for that image). Under load the other cores are busy and
/// the calling thread converts the pieces nobody took (Parallel.For runs them inline), so a
/// saturated pod pays only those two passes.
/// </summary>
public static partial class JsonTensorData
{
    /// <summary>Elements from which a flat array is cut in pieces: about 0.4 ms of conversion, well above the cost of handing pieces to other threads.</summary>
    public const long PiecesMinimumElements = 16_384;

    private static readonly SearchValues<byte> NotFlat = SearchValues.Create("[]{}\""u8);

    private static unsafe bool TryDecodePieces<TElement>(ReadOnlySpan<byte> json, int start, long elements, Span<byte> destination, out int end)
        where TElement : struct, IElement
    {
        end = -1;
        if (TElement.Size == 0 || start >= json.Length || json[start] != '[') return false;
        // A flat array ends at the first bracket, string or object after its '['; it is that ']'
        // only when the array is flat. Its elements are then one more than its commas.
        var close = json[(start + 1)..].IndexOfAny(NotFlat);
        if (close < 0) return false;
        var arrayEnd = start + 1 + close;
        if (json[arrayEnd] != ']') return false;
        // Pieces cut at commas, so a second core can take some while this thread converts the rest.
        var pieces = Math.Min(Environment.ProcessorCount * 4, 64);
        var cuts = new int[pieces + 1];
        var firsts = new long[pieces + 1];
        cuts[0] = start;
        var count = 0;
        for (var i = 1; i < pieces; i++)
        {
            var from = Math.Max(cuts[count] + 1, start + (int)((long)(arrayEnd - start) * i / pieces));
            var comma = from < arrayEnd ? json[from..arrayEnd].IndexOf((byte)',') : -1;
            if (comma < 0) break;
            cuts[++count] = from + comma;
        }
        cuts[++count] = arrayEnd;
        for (var i = 1; i <= count; i++)
            firsts[i] = firsts[i - 1] + json[(cuts[i - 1] + 1)..cuts[i]].Count((byte)',') + 1;
        if (firsts[count] != elements) return false;

        var length = json.Length;
        var size = destination.Length;
        var failed = 0;
        fixed (byte* text = json)
        fixed (byte* target = destination)
        {
            // Spans cannot enter a lambda; every piece ends before the fixed blocks do.
            var textAddress = (nint)text;
            var targetAddress = (nint)target;
            Parallel.For(0, count, piece =>
            {
                var position = cuts[piece] + 1;
                if (!TryScanFlat<TElement>(Text(textAddress, length), ref position, firsts[piece + 1] - firsts[piece], Target(targetAddress, size), firsts[piece])
                    || position != cuts[piece + 1])
                    Volatile.Write(ref failed, 1);
            });
        }
        if (failed != 0) return false;
        end = arrayEnd;
        return true;
    }

    private static unsafe ReadOnlySpan<byte> Text(nint address, int length) => new((void*)address, length);

    private static unsafe Span<byte> Target(nint address, int length) => new((void*)address, length);

    /// <summary>
    /// <paramref name="count"/> values separated by commas, no nested array, written from element
    /// <paramref name="firstIndex"/> on; leaves the position at the next non-space after the last.
    /// </summary>
    private static bool TryScanFlat<TElement>(ReadOnlySpan<byte> json, ref int position, long count, Span<byte> destination, long firstIndex)
        where TElement : struct, IElement
    {
        for (long k = 0; k < count; k++)
        {
            int c;
            if (k > 0)
            {
                c = NextNonSpace(json, ref position);
                if (c != ',') return false;
                position++;
            }
            c = NextNonSpace(json, ref position);
            if (c < 0 || !TryScanElement<TElement>(json, ref position, c, destination, firstIndex + k)) return false;
        }
        NextNonSpace(json, ref position);
        return true;
    }
}
