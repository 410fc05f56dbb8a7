using System.Text.Json.Nodes;
using Platform.Operator.Api.Schema;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Tests.Api;

/// <summary>The generated CRD of InferenceService, and navigation inside its schema.</summary>
internal static class CrdSchema
{
    public static JsonObject Crd => CrdBuilder.Build(typeof(InferenceService));

    public static JsonObject Version => Crd["spec"]!["versions"]![0]!.AsObject();

    public static JsonObject Root => Version["schema"]!["openAPIV3Schema"]!.AsObject();

    /// <summary>The schema at a dotted field path, e.g. "spec.serving.maxBatchSize"; "[]" steps into list items.</summary>
    public static JsonObject At(string path)
    {
        var node = Root;
        foreach (var part in path.Split('.'))
        {
            node = part == "[]"
                ? node["items"]!.AsObject()
                : node["properties"]?[part]?.AsObject() ?? throw new KeyNotFoundException($"No schema for '{part}' in {path}.");
        }
        return node;
    }
}
