using System.Text.Json;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;
using Platform.InferencePod.Pipeline;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Lifecycle;

/// <summary>
/// Runs synthetic requests through the whole data plane (decode JSON and binary, admit, batch,
/// run, encode) so the code the first real request takes is already compiled and its buffers
/// sized: the first request after ready is not slower than the ones after it.
/// </summary>
public static class ProtocolWarmup
{
    public const int Iterations = 8;

    /// <summary>Runs the warm-up; returns the request bodies it used (JSON and binary) for the HTTP warm-up.</summary>
    public static async Task<IReadOnlyList<(byte[] Body, int JsonLength)>> RunAsync(InferencePipeline pipeline, TimeProvider time, CancellationToken cancellationToken)
    {
        var metadata = pipeline.Metadata;
        var template = SyntheticRequests.Request(metadata, seed: 0);
        var json = JsonBody(metadata, template, binary: false);
        var binary = JsonBody(metadata, template, binary: true);
        var body = new byte[binary.Length + template.Inputs.Sum(i => i.Data.Length)];
        binary.CopyTo(body, 0);
        var offset = binary.Length;
        foreach (var input in template.Inputs)
        {
            input.Data.Span.CopyTo(body.AsSpan(offset));
            offset += input.Data.Length;
        }
        for (var i = 0; i < Iterations && !cancellationToken.IsCancellationRequested; i++)
        {
            await RoundTripAsync(pipeline, time, json, json.Length);
            await RoundTripAsync(pipeline, time, body, binary.Length);
        }
        return [(json, json.Length), (body, binary.Length)];
    }

    private static async Task RoundTripAsync(InferencePipeline pipeline, TimeProvider time, byte[] body, int jsonLength)
    {
        using var request = new InferenceRequest();
        var call = new CallContext { Model = pipeline.Metadata.Name, ArrivalTimestamp = time.GetTimestamp(), Warmup = true };
        OutputTensor[] outputs;
        try
        {
            outputs = await pipeline.InferAsync(request, call, (r, _) =>
            {
                RequestDecoder.Decode(body, jsonLength, pipeline.Metadata, pipeline.MaxBatchSize, pipeline.PriorityLevels, r);
                return ValueTask.CompletedTask;
            });
        }
        catch (InferenceError error) when (ReferenceEquals(error, Refusals.Draining))
        {
            // Shut down during warm-up: nothing left to warm.
            return;
        }
        using var encoded = new PooledBufferWriter();
        ResponseEncoder.EncodeJson(encoded, pipeline.Metadata, request, outputs);
        foreach (var output in outputs) output.Release();
        pipeline.Record(call, StatusCodes.Status200OK);
    }

    private static byte[] JsonBody(ModelMetadata metadata, InferenceRequest template, bool binary)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("id", "warm-up");
            writer.WriteStartArray("inputs");
            foreach (var input in template.Inputs)
            {
                writer.WriteStartObject();
                writer.WriteString("name", input.Name);
                writer.WriteString("datatype", input.DataType.ToProtocolName());
                writer.WriteStartArray("shape");
                foreach (var d in input.Shape) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                if (binary)
                {
                    writer.WriteStartObject("parameters");
                    writer.WriteNumber("binary_data_size", input.Data.Length);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteStartArray("data");
                    var size = input.DataType.ElementSize();
                    for (var e = 0; e < input.Data.Length / size; e++)
                    {
                        if (input.DataType == TensorDataType.Fp32)
                            writer.WriteNumberValue(BitConverter.ToSingle(input.Data.Span.Slice(e * 4, 4)));
                        else if (input.DataType == TensorDataType.Bool)
                            writer.WriteBooleanValue(false);
                        else
                            writer.WriteNumberValue(0);
                    }
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (binary)
            {
                writer.WriteStartObject("parameters");
                writer.WriteBoolean("binary_data_output", true);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
