using System.Text.Json;
using Platform.Contracts;
using Platform.LoadGen.Tensors;

namespace Platform.LoadGen.Http;

/// <summary>
/// Checks one successful answer in full before a run starts, so a run never measures a server that
/// answers 200 with something other than the model's outputs.
/// </summary>
internal static class InferResponseCheck
{
    /// <summary>Returns one line per output ("output FP32 [1, 10], binary 40 bytes") or throws saying what is wrong.</summary>
    public static IReadOnlyList<string> Describe(byte[] body, int? headerLength, IReadOnlyList<TensorMetadata> expectedOutputs)
    {
        if (headerLength is { } length && (length <= 0 || length > body.Length))
        {
            throw new LoadGenException($"the answer's {InferenceProtocol.InferenceHeaderContentLength} is {length}, but the body has {body.Length} bytes");
        }
        var jsonLength = headerLength ?? body.Length;
        List<(string Name, string Datatype, long[] Shape, long? BinarySize)> outputs;
        try
        {
            using var document = JsonDocument.Parse(body.AsMemory(0, jsonLength));
            outputs = document.RootElement.GetProperty("outputs").EnumerateArray().Select(o => (
                o.GetProperty("name").GetString() ?? "",
                o.GetProperty("datatype").GetString() ?? "",
                o.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
                o.TryGetProperty("parameters", out var p) && p.TryGetProperty(InferenceProtocol.BinaryDataSizeParameter, out var size)
                    ? size.GetInt64()
                    : (long?)null)).ToList();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LoadGenException($"the answer is not a V2 inference response: {e.Message}", e);
        }

        var missing = expectedOutputs.Select(o => o.Name).Except(outputs.Select(o => o.Name)).ToList();
        if (missing.Count > 0)
        {
            throw new LoadGenException($"the answer lacks output(s) {string.Join(", ", missing)}");
        }
        var binaryBytes = outputs.Sum(o => o.BinarySize ?? 0);
        if (binaryBytes != body.Length - jsonLength)
        {
            throw new LoadGenException($"the answer's outputs declare {binaryBytes} binary bytes, but {body.Length - jsonLength} follow the JSON header");
        }
        return outputs.Select(o => $"{o.Name} {o.Datatype} {TensorShape.Format(o.Shape)}, " + (o.BinarySize is { } size ? $"binary {size} bytes" : "JSON data")).ToList();
    }
}
