using System.Text.Json;
using Platform.Contracts;
using Platform.InferencePod.Model;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Jobs;

/// <summary>
/// A job's status as JSON: <c>{"id", "model_name", "model_version", "status", "position"?,
/// "progress"? ({"completed_rows", "total_rows"}, for a job run in several batches),
/// "created_at", "finished_at"?, "status_url", "result"? (the infer response), "error"?
/// ({"code", "message"})}</c>. The same bytes are answered to GET and kept in Redis.
/// </summary>
public static class JobDocument
{
    public static byte[] Write(Job job, ModelMetadata model, JobStatus status, int? position)
    {
        using var buffer = new PooledBufferWriter(512);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, job.Id);
            writer.WriteString("model_name"u8, model.Name);
            writer.WriteString("model_version"u8, model.Version);
            writer.WriteString("status"u8, status.ToProtocolName());
            if (position is { } ahead) writer.WriteNumber("position"u8, ahead);
            if (job.Chunks > 1)
            {
                writer.WriteStartObject("progress"u8);
                writer.WriteNumber("completed_rows"u8, job.CompletedRows);
                writer.WriteNumber("total_rows"u8, job.TotalRows);
                writer.WriteEndObject();
            }
            writer.WriteString("created_at"u8, job.CreatedAt);
            var outcome = job.Finished;
            if (outcome is not null) writer.WriteString("finished_at"u8, outcome.FinishedAt);
            writer.WriteString("status_url"u8, InferenceProtocol.JobPath(job.Id));
            if (outcome?.Result is { } result)
            {
                writer.WritePropertyName("result"u8);
                writer.WriteRawValue(result, skipInputValidation: true);
            }
            if (outcome?.ErrorMessage is { } message)
            {
                writer.WriteStartObject("error"u8);
                writer.WriteNumber("code"u8, outcome.ErrorCode);
                writer.WriteString("message"u8, message);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The status field of a stored document; null when the bytes are not one.</summary>
    public static JobStatus? StatusOf(ReadOnlySpan<byte> document)
    {
        try
        {
            var reader = new Utf8JsonReader(document);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isStatus = reader.ValueTextEquals("status"u8);
                reader.Read();
                if (isStatus && reader.TokenType == JsonTokenType.String)
                {
                    var name = reader.GetString();
                    foreach (var status in Enum.GetValues<JobStatus>())
                    {
                        if (status.ToProtocolName() == name) return status;
                    }
                    return null;
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not a document this code wrote.
        }
        return null;
    }
}
