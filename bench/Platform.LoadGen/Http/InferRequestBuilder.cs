using System.Text.Json;
using Platform.Contracts;
using Platform.LoadGen.Tensors;

namespace Platform.LoadGen.Http;

/// <summary>Builds the one request body a run repeats: random inputs of the model's declared shapes.</summary>
internal static class InferRequestBuilder
{
    public static PreparedRequest Build(ModelMetadata model, HttpOptions options)
    {
        var random = new Random(options.Seed);
        var inputs = model.Inputs.Select(input =>
        {
            var type = TensorDataType.FromProtocolName(input.Name, input.Datatype);
            var shape = TensorShape.WithBatch(input.Name, input.Shape, options.Batch);
            return (input.Name, Type: type, Shape: shape, Data: RandomTensor.Create(type, TensorShape.ElementCount(shape), random));
        }).ToList();
        var binary = options.Payload == PayloadKind.Binary;

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", "loadgen");
            json.WriteStartArray("inputs");
            foreach (var input in inputs)
            {
                json.WriteStartObject();
                json.WriteString("name", input.Name);
                json.WriteString("datatype", input.Type.ProtocolName);
                json.WriteStartArray("shape");
                Array.ForEach(input.Shape, json.WriteNumberValue);
                json.WriteEndArray();
                if (binary)
                {
                    json.WriteStartObject("parameters");
                    json.WriteNumber(InferenceProtocol.BinaryDataSizeParameter, input.Data.Length);
                    json.WriteEndObject();
                }
                else
                {
                    json.WritePropertyName("data");
                    TensorJson.WriteData(json, input.Type, input.Data);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (binary && model.Outputs.Count > 0)
            {
                json.WriteStartArray("outputs");
                foreach (var output in model.Outputs)
                {
                    json.WriteStartObject();
                    json.WriteString("name", output.Name);
                    json.WriteStartObject("parameters");
                    json.WriteBoolean(InferenceProtocol.BinaryDataParameter, true);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            WriteParameters(json, options);
            json.WriteEndObject();
        }

        var headerLength = (int)buffer.Length;
        if (binary)
        {
            inputs.ForEach(input => buffer.Write(input.Data));
        }
        var description = string.Join(", ", inputs.Select(i => $"{i.Name} {i.Type.ProtocolName} {TensorShape.Format(i.Shape)}"))
            + $"; {(binary ? "binary" : "JSON")} body of {buffer.Length:#,0} bytes";
        return new PreparedRequest(buffer.ToArray(), binary ? headerLength : null, options.Batch, description);
    }

    private static void WriteParameters(Utf8JsonWriter json, HttpOptions options)
    {
        if (options.Priority is null && options.TimeoutMs is null)
        {
            return;
        }
        json.WriteStartObject("parameters");
        if (options.Priority is { } priority)
        {
            json.WriteNumber(InferenceProtocol.PriorityParameter, priority);
        }
        if (options.TimeoutMs is { } timeoutMs)
        {
            // The protocol's "timeout" is in microseconds.
            json.WriteNumber(InferenceProtocol.TimeoutParameter, timeoutMs * 1000L);
        }
        json.WriteEndObject();
    }
}
