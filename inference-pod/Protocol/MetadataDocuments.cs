using System.Text.Json;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Protocol;

/// <summary>The server and model metadata responses, encoded once: they never change while the pod runs.</summary>
public sealed class MetadataDocuments
{
    public const string ServerName = "platform-inference-pod";
    public const string ModelPlatform = "onnxruntime_onnx";
    /// <summary>The protocol extensions the server supports.</summary>
    public static readonly IReadOnlyList<string> Extensions = ["binary_tensor_data"];
    public static string ServerVersion => typeof(MetadataDocuments).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public MetadataDocuments(ModelMetadata model)
    {
        Server = Encode(writer =>
        {
            writer.WriteString("name"u8, ServerName);
            writer.WriteString("version"u8, ServerVersion);
            writer.WriteStartArray("extensions"u8);
            foreach (var extension in Extensions) writer.WriteStringValue(extension);
            writer.WriteEndArray();
        });
        Model = Encode(writer =>
        {
            writer.WriteString("name"u8, model.Name);
            writer.WriteStartArray("versions"u8);
            writer.WriteStringValue(model.Version);
            writer.WriteEndArray();
            writer.WriteString("platform"u8, ModelPlatform);
            WriteTensors(writer, "inputs", model.Inputs);
            WriteTensors(writer, "outputs", model.Outputs);
        });
    }

    public byte[] Server { get; }
    public byte[] Model { get; }

    private static void WriteTensors(Utf8JsonWriter writer, string property, IReadOnlyList<TensorSpec> tensors)
    {
        writer.WriteStartArray(property);
        foreach (var tensor in tensors)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, tensor.Name);
            writer.WriteString("datatype"u8, tensor.DataType.ToProtocolName());
            writer.WriteStartArray("shape"u8);
            foreach (var dim in tensor.Shape) writer.WriteNumberValue(dim);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static byte[] Encode(Action<Utf8JsonWriter> body)
    {
        using var buffer = new PooledBufferWriter(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
