using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Contracts;

namespace Platform.InferencePod.TestSupport;

/// <summary>Builds V2 inference requests for the tests, JSON and binary.</summary>
public static class V2Requests
{
    public static float[] RandomFloats(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    public static JsonObject Json(string input, long[] shape, float[] data, string? id = null, JsonObject? parameters = null)
    {
        var body = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = input,
                ["datatype"] = "FP32",
                ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()),
                ["data"] = new JsonArray(data.Select(v => (JsonNode)v).ToArray()),
            }),
        };
        if (id is not null) body["id"] = id;
        if (parameters is not null) body["parameters"] = parameters;
        return body;
    }

    /// <summary>A binary-extension request: JSON header then the raw tensor; outputs asked back in binary.</summary>
    public static HttpContent Binary(string input, long[] shape, float[] data, bool binaryOutputs = true, JsonObject? parameters = null)
    {
        var raw = MemoryMarshal.AsBytes(data.AsSpan()).ToArray();
        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = input,
                ["datatype"] = "FP32",
                ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()),
                ["parameters"] = new JsonObject { ["binary_data_size"] = raw.Length },
            }),
        };
        var p = parameters ?? new JsonObject();
        if (binaryOutputs) p["binary_data_output"] = true;
        header["parameters"] = p;
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var content = new ByteArrayContent([.. json, .. raw]);
        content.Headers.ContentType = new MediaTypeHeaderValue(InferenceProtocol.BinaryContentType);
        content.Headers.Add(InferenceProtocol.InferenceHeaderContentLength, json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return content;
    }

    /// <summary>Reads the first output of a binary response as floats.</summary>
    public static async Task<(JsonObject Header, float[] Output)> ReadBinaryAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var headerLength = int.Parse(response.Headers.GetValues(InferenceProtocol.InferenceHeaderContentLength).Single(), System.Globalization.CultureInfo.InvariantCulture);
        var header = JsonNode.Parse(bytes.AsSpan(0, headerLength))!.AsObject();
        var size = (int)header["outputs"]![0]!["parameters"]!["binary_data_size"]!;
        return (header, MemoryMarshal.Cast<byte, float>(bytes.AsSpan(headerLength, size)).ToArray());
    }

    public static float[] JsonOutput(JsonNode response, int index = 0) =>
        response["outputs"]![index]!["data"]!.AsArray().Select(v => (float)v!).ToArray();
}
