using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;
using Platform.Contracts;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.FeatureBench.Inputs;

/// <summary>
/// One batch-1 inference request of a model, prepared once in each protocol: REST with JSON
/// <c>data</c> arrays, REST with the binary tensor data extension (inputs and outputs raw), and
/// gRPC ModelInfer with <c>raw_input_contents</c>. Each send checks the status and reads the
/// whole answer; <see cref="OutputsAsync"/> decodes the answer for the one correctness check.
/// </summary>
internal sealed class TensorRequests
{
    private readonly string _path;
    private readonly byte[] _json;
    private readonly byte[] _jsonPython;
    private readonly byte[] _binary;
    private readonly int _binaryHeaderLength;

    public TensorRequests(ModelMetadata model, IReadOnlyList<float[]> inputs, long[][] shapes)
    {
        if (model.Inputs.Any(i => i.DataType != TensorDataType.Fp32) || model.Outputs.Any(o => o.DataType != TensorDataType.Fp32))
            throw new InvalidOperationException($"model '{model.Name}': the protocol comparison sends and reads FP32 tensors only");
        _path = $"/v2/models/{model.Name}/infer";
        _json = Body(model, inputs, shapes, binary: false, out _);
        _jsonPython = Body(model, inputs, shapes, binary: false, out _, pythonReprs: true);
        _binary = Body(model, inputs, shapes, binary: true, out _binaryHeaderLength);
        Grpc = new ModelInferRequest { ModelName = model.Name, Id = "featurebench" };
        for (var i = 0; i < inputs.Count; i++)
        {
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = model.Inputs[i].Name, Datatype = "FP32" };
            tensor.Shape.AddRange(shapes[i]);
            Grpc.Inputs.Add(tensor);
            Grpc.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(inputs[i].AsSpan())));
        }
    }

    public int JsonBytes => _json.Length;
    public int JsonPythonBytes => _jsonPython.Length;
    public int BinaryBytes => _binary.Length;
    public ModelInferRequest Grpc { get; }

    public HttpRequestMessage Json(string? cacheControl = null) => Message(_json, null, cacheControl);

    /// <summary>The JSON request with each value as Python's json writes a float32 it holds as a double: up to 17 significant digits (0.48500001430511475).</summary>
    public HttpRequestMessage JsonPython(string? cacheControl = null) => Message(_jsonPython, null, cacheControl);

    public HttpRequestMessage Binary(string? cacheControl = null) => Message(_binary, _binaryHeaderLength, cacheControl);

    /// <summary>Sends the request and reads the whole answer; throws unless it is 200.</summary>
    public static async Task<byte[]> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
            throw new InvalidOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 500)))}");
        return body;
    }

    /// <summary>The outputs of a REST answer (JSON data arrays or binary sections), each as floats, in the model's order.</summary>
    public static async Task<float[][]> OutputsAsync(HttpClient client, HttpRequestMessage request, ModelMetadata model, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
            throw new InvalidOperationException($"{request.RequestUri} answered {(int)response.StatusCode}");
        var headerLength = response.Headers.TryGetValues(InferenceProtocol.InferenceHeaderContentLength, out var values) ? int.Parse(values.First(), System.Globalization.CultureInfo.InvariantCulture) : body.Length;
        using var document = JsonDocument.Parse(body.AsMemory(0, headerLength));
        var outputs = new float[model.Outputs.Count][];
        var offset = headerLength;
        foreach (var output in document.RootElement.GetProperty("outputs").EnumerateArray())
        {
            var index = model.OutputIndex(output.GetProperty("name").GetString());
            if (output.TryGetProperty("parameters", out var parameters) && parameters.TryGetProperty(InferenceProtocol.BinaryDataSizeParameter, out var size))
            {
                outputs[index] = MemoryMarshal.Cast<byte, float>(body.AsSpan(offset, size.GetInt32())).ToArray();
                offset += size.GetInt32();
            }
            else
            {
                outputs[index] = output.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            }
        }
        return outputs;
    }

    private HttpRequestMessage Message(byte[] body, int? headerLength, string? cacheControl)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, _path) { Content = new ByteArrayContent(body) };
        if (headerLength is { } length)
        {
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(InferenceProtocol.BinaryContentType);
            message.Headers.TryAddWithoutValidation(InferenceProtocol.InferenceHeaderContentLength, length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        if (cacheControl is not null) message.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
        return message;
    }

    private static byte[] Body(ModelMetadata model, IReadOnlyList<float[]> inputs, long[][] shapes, bool binary, out int headerLength, bool pythonReprs = false)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", "featurebench");
            json.WriteStartArray("inputs");
            for (var i = 0; i < inputs.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("name", model.Inputs[i].Name);
                json.WriteString("datatype", "FP32");
                json.WriteStartArray("shape");
                foreach (var d in shapes[i]) json.WriteNumberValue(d);
                json.WriteEndArray();
                if (binary)
                {
                    json.WriteStartObject("parameters");
                    json.WriteNumber(InferenceProtocol.BinaryDataSizeParameter, inputs[i].Length * sizeof(float));
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteStartArray("data");
                    foreach (var value in inputs[i])
                    {
                        if (pythonReprs) json.WriteRawValue(((double)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                        else json.WriteNumberValue(value);
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (binary)
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
            json.WriteEndObject();
        }
        headerLength = (int)buffer.Length;
        if (binary)
        {
            foreach (var input in inputs) buffer.Write(MemoryMarshal.AsBytes(input.AsSpan()));
        }
        return buffer.ToArray();
    }
}
