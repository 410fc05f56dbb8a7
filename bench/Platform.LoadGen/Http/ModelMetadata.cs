using System.Text.Json;

namespace Platform.LoadGen.Http;

/// <summary>One input or output as the V2 model metadata declares it (-1 = dynamic dimension).</summary>
internal sealed record TensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);

/// <summary>The answer of GET /v2/models/{name}.</summary>
internal sealed record ModelMetadata(string Name, IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs)
{
    public static ModelMetadata Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            var inputs = Tensors(root, "inputs");
            return inputs.Count == 0
                ? throw new LoadGenException("the model metadata lists no inputs")
                : new ModelMetadata(root.GetProperty("name").GetString() ?? "", inputs, Tensors(root, "outputs"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LoadGenException($"the model metadata is not V2 model metadata: {e.Message}", e);
        }
    }

    private static List<TensorMetadata> Tensors(JsonElement root, string property) =>
        root.TryGetProperty(property, out var list)
            ? list.EnumerateArray().Select(t => new TensorMetadata(
                t.GetProperty("name").GetString() ?? "",
                t.GetProperty("datatype").GetString() ?? "",
                t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToList())).ToList()
            : [];
}
