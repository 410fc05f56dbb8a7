using System.Buffers;
using System.Text.Json;
using Platform.InferencePod.Model;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// The classify answer: <c>{"model_name", "model_version", "id"?, "results": [{"predictions":
/// [{"index", "label", "score"}, ...]}, ...]}</c>, one result per image, best class first.
/// </summary>
public static class ClassifyResponse
{
    public static async Task WriteAsync(HttpResponse response, ModelMetadata model, string? id, Prediction[][] results, CancellationToken cancellationToken)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("model_name"u8, model.Name);
            writer.WriteString("model_version"u8, model.Version);
            if (id is not null) writer.WriteString("id"u8, id);
            writer.WriteStartArray("results"u8);
            foreach (var predictions in results)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("predictions"u8);
                foreach (var prediction in predictions)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("index"u8, prediction.Index);
                    writer.WriteString("label"u8, prediction.Label);
                    if (double.IsFinite(prediction.Score)) writer.WriteNumber("score"u8, prediction.Score);
                    else writer.WriteNull("score"u8);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        response.BodyWriter.Write(buffer.WrittenSpan);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }
}
