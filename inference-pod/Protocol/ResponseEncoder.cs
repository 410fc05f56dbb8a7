using System.Buffers;
using System.Text.Json;
using Platform.Contracts;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// Encodes a V2 inference response: JSON, with the selected outputs either as flat
/// <c>data</c> arrays or, with the binary extension, as raw bytes after the JSON header.
/// </summary>
public static class ResponseEncoder
{
    public static async Task WriteAsync(HttpResponse response, ModelMetadata model, InferenceRequest request, OutputTensor[] outputs, CancellationToken cancellationToken)
    {
        using var json = new PooledBufferWriter();
        var binaryLength = EncodeJson(json, model, request, outputs);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = json.WrittenCount + binaryLength;
        if (binaryLength > 0 || UsesBinary(request))
        {
            response.ContentType = InferenceProtocol.BinaryContentType;
            response.Headers[InferenceProtocol.InferenceHeaderContentLength] = json.WrittenCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            response.ContentType = "application/json";
        }
        var body = response.BodyWriter;
        body.Write(json.WrittenSpan);
        for (var s = 0; s < SelectedCount(request, outputs.Length); s++)
        {
            var (index, binary) = Selected(request, s);
            if (binary) body.Write(outputs[index].Data);
        }
        await body.FlushAsync(cancellationToken);
    }

    private static bool UsesBinary(InferenceRequest request)
    {
        if (request.BinaryOutputs) return true;
        if (request.Outputs is null) return false;
        foreach (var output in request.Outputs)
        {
            if (output.Binary) return true;
        }
        return false;
    }

    /// <summary>Writes the JSON part; returns the byte length of the binary part that follows it.</summary>
    public static long EncodeJson(PooledBufferWriter destination, ModelMetadata model, InferenceRequest request, OutputTensor[] outputs)
    {
        using var writer = new Utf8JsonWriter(destination, JsonWriterDefaults.Options);
        writer.WriteStartObject();
        writer.WriteString("model_name"u8, model.Name);
        writer.WriteString("model_version"u8, model.Version);
        if (request.Id is not null) writer.WriteString("id"u8, request.Id);
        writer.WriteStartArray("outputs"u8);
        long binaryLength = 0;
        for (var s = 0; s < SelectedCount(request, outputs.Length); s++)
        {
            var (index, binary) = Selected(request, s);
            var output = outputs[index];
            writer.WriteStartObject();
            writer.WriteString("name"u8, model.OutputNames[index]);
            writer.WriteString("datatype"u8, output.DataType.ToProtocolName());
            writer.WriteStartArray("shape"u8);
            foreach (var dim in output.Shape) writer.WriteNumberValue(dim);
            writer.WriteEndArray();
            if (binary)
            {
                writer.WriteStartObject("parameters"u8);
                writer.WriteNumber("binary_data_size"u8, output.Length);
                writer.WriteEndObject();
                binaryLength += output.Length;
            }
            else
            {
                writer.WritePropertyName("data"u8);
                JsonTensorWriter.WriteData(writer, output.DataType, output.Data);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return binaryLength;
    }

    private static int SelectedCount(InferenceRequest request, int outputCount) => request.Outputs?.Length ?? outputCount;

    /// <summary>The s-th output to return (all outputs when the request names none) and whether it goes binary.</summary>
    private static (int Index, bool Binary) Selected(InferenceRequest request, int s) => request.Outputs is null
        ? (s, request.BinaryOutputs)
        : (request.Outputs[s].OutputIndex, request.Outputs[s].Binary || request.BinaryOutputs);
}
