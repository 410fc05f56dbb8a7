using System.Buffers;
using System.Text.Json;

namespace Platform.InferencePod.Protocol;

/// <summary>The protocol's error body, <c>{"error": "..."}</c>, with an honest status code.</summary>
public static class ErrorResponse
{
    public static async Task WriteAsync(HttpResponse response, int statusCode, string message, int? retryAfterSeconds = null)
    {
        if (response.HasStarted) return;
        response.StatusCode = statusCode;
        if (retryAfterSeconds is { } seconds) response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var buffer = new PooledBufferWriter(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("error"u8, message);
            writer.WriteEndObject();
        }
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        response.BodyWriter.Write(buffer.WrittenSpan);
        await response.BodyWriter.FlushAsync();
    }
}
