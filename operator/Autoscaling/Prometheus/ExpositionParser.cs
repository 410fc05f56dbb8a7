using System.Buffers;
using System.Text;

namespace Platform.Operator.Autoscaling.Prometheus;

/// <summary>
/// Parses the Prometheus text exposition format (version 0.0.4, what prometheus-net serves
/// for <c>Accept: text/plain</c>) into metric families. Malformed input throws
/// <see cref="ExpositionFormatException"/> naming the line; the caller treats that scrape as
/// failed.
/// </summary>
public static class ExpositionParser
{
    private const int ChunkChars = 8192;

    /// <summary>Parses a whole exposition held in memory.</summary>
    public static IReadOnlyList<MetricFamily> Parse(string text, ExpositionLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= ExpositionLimits.Default;
        if (Encoding.UTF8.GetByteCount(text) > limits.MaxBytes)
        {
            throw new ExpositionFormatException(0, $"exposition is larger than {limits.MaxBytes} bytes");
        }

        var builder = new ExpositionDocumentBuilder(limits);
        var remaining = text.AsSpan();
        while (true)
        {
            var newline = remaining.IndexOf('\n');
            if (newline < 0)
            {
                if (!remaining.IsEmpty)
                {
                    builder.AddLine(remaining);
                }

                return builder.Build();
            }

            builder.AddLine(remaining[..newline]);
            remaining = remaining[(newline + 1)..];
        }
    }

    /// <summary>
    /// Parses UTF-8 text from <paramref name="utf8"/> line by line, reading at most
    /// <see cref="ExpositionLimits.MaxBytes"/> bytes: a longer body fails rather than grows
    /// without bound.
    /// </summary>
    public static async Task<IReadOnlyList<MetricFamily>> ParseAsync(
        Stream utf8, ExpositionLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        limits ??= ExpositionLimits.Default;
        var builder = new ExpositionDocumentBuilder(limits);
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = ArrayPool<byte>.Shared.Rent(ChunkChars);
        var chars = ArrayPool<char>.Shared.Rent(ChunkChars + 1);
        var pending = new StringBuilder();
        long total = 0;
        try
        {
            while (true)
            {
                var read = await utf8.ReadAsync(bytes.AsMemory(0, ChunkChars), cancellationToken).ConfigureAwait(false);
                total += read;
                if (total > limits.MaxBytes)
                {
                    throw new ExpositionFormatException(0, $"exposition is larger than {limits.MaxBytes} bytes");
                }

                int decoded;
                try
                {
                    decoded = decoder.GetChars(bytes, 0, read, chars, 0, flush: read == 0);
                }
                catch (DecoderFallbackException)
                {
                    throw new ExpositionFormatException(builder.LineNumber + 1, "text is not valid UTF-8");
                }

                AddCompleteLines(builder, pending, chars.AsSpan(0, decoded));
                if (read == 0)
                {
                    if (pending.Length > 0)
                    {
                        builder.AddLine(pending.ToString());
                    }

                    return builder.Build();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Feeds every line completed by <paramref name="chunk"/>; keeps the unfinished tail.</summary>
    private static void AddCompleteLines(ExpositionDocumentBuilder builder, StringBuilder pending, ReadOnlySpan<char> chunk)
    {
        while (true)
        {
            var newline = chunk.IndexOf('\n');
            if (newline < 0)
            {
                pending.Append(chunk);
                return;
            }

            if (pending.Length == 0)
            {
                builder.AddLine(chunk[..newline]);
            }
            else
            {
                pending.Append(chunk[..newline]);
                builder.AddLine(pending.ToString());
                pending.Clear();
            }

            chunk = chunk[(newline + 1)..];
        }
    }
}
