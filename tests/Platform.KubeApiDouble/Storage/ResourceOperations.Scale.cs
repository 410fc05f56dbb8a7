using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Patching;
using Platform.KubeApiDouble.Registry;
using Platform.KubeApiDouble.Selectors;
using Platform.KubeApiDouble.Validation;

namespace Platform.KubeApiDouble.Storage;

internal sealed partial class ResourceOperations
{
    public JsonObject GetScale(ResourceDefinition definition, string? ns, string name)
    {
        var scale = ScaleOf(definition);
        lock (store.Gate)
        {
            var obj = store.Get(definition, ns, name) ?? throw ApiErrors.NotFound(definition, name);
            return BuildScale(scale, obj);
        }
    }

    /// <summary>Sets the replicas through the <c>scale</c> subresource from a <c>Scale</c> object.</summary>
    public JsonObject UpdateScale(ResourceDefinition definition, string version, string? ns, string name, JsonObject body, WriteRequest request)
    {
        var scale = ScaleOf(definition);
        lock (store.Gate)
        {
            var old = store.Get(definition, ns, name) ?? throw ApiErrors.NotFound(definition, name);
            return ScaleTo(definition, version, scale, old, body, request);
        }
    }

    public JsonObject PatchScale(ResourceDefinition definition, string version, string? ns, string name, PatchKind kind, string body, WriteRequest request)
    {
        var scale = ScaleOf(definition);
        JsonNode? patch;
        try
        {
            // An apply to the scale subresource is treated as a merge of the applied Scale.
            patch = kind == PatchKind.Apply ? YamlJsonReader.Parse(body) : JsonNode.Parse(body);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            throw ApiErrors.BadRequest($"error decoding patch: {e.Message}");
        }

        lock (store.Gate)
        {
            var old = store.Get(definition, ns, name) ?? throw ApiErrors.NotFound(definition, name);
            var current = BuildScale(scale, old);
            var patched = ApplyPatch(kind == PatchKind.Apply ? PatchKind.Merge : kind, current, patch);
            return ScaleTo(definition, version, scale, old, patched, request);
        }
    }

    private JsonObject ScaleTo(ResourceDefinition definition, string version, ScaleSubresource scale, JsonObject old, JsonObject body, WriteRequest request)
    {
        var name = ObjectMeta.Name(old)!;
        CheckResourceVersion(definition, name, old, body);
        var replicasNode = body.ObjectAt("spec")?["replicas"];
        var replicas = replicasNode.AsLong();
        if (replicas is null or < 0)
        {
            throw ApiErrors.Invalid("Scale.autoscaling", name,
                [FieldError.Invalid("spec.replicas", replicasNode, "must be greater than or equal to 0")], "autoscaling", "Scale");
        }

        var candidate = old.CloneObject();
        scale.SpecReplicasPath.Set(candidate, replicas.Value);
        var updated = FinishUpdate(definition, version, old, candidate, request, "scale", recordManagedFields: true);
        return BuildScale(scale, updated);
    }

    private static ScaleSubresource ScaleOf(ResourceDefinition definition) =>
        definition.Scale ?? throw ApiErrors.ResourceNotFound();

    private static JsonObject BuildScale(ScaleSubresource scale, JsonObject obj)
    {
        var metadata = obj.ObjectAt("metadata") ?? new JsonObject();
        var scaleMetadata = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (metadata[field] is { } value)
            {
                scaleMetadata[field] = value.DeepClone();
            }
        }

        var status = new JsonObject { ["replicas"] = scale.StatusReplicasPath.Get(obj).AsLong() ?? 0 };
        string? selector = null;
        if (scale.SelectorFromSpecSelector)
        {
            try
            {
                selector = LabelSelector.FromObject(obj.ObjectAt("spec")?.ObjectAt("selector")).ToString();
            }
            catch (FormatException)
            {
                selector = null;
            }
        }
        else if (scale.LabelSelectorPath?.Get(obj) is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            selector = value.GetValue<string>();
        }

        if (!string.IsNullOrEmpty(selector))
        {
            status["selector"] = selector;
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMetadata,
            ["spec"] = new JsonObject { ["replicas"] = scale.SpecReplicasPath.Get(obj).AsLong() ?? 0 },
            ["status"] = status,
        };
    }
}
