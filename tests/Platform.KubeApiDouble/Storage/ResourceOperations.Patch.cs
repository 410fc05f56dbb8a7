using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Apply;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Patching;
using Platform.KubeApiDouble.Registry;

namespace Platform.KubeApiDouble.Storage;

internal sealed partial class ResourceOperations
{
    /// <summary>PATCH through the main endpoint or the <c>status</c> subresource (apply included).</summary>
    public JsonObject Patch(
        ResourceDefinition definition, string version, string? ns, string name, PatchKind kind, string body,
        WriteRequest request, string? subresource)
    {
        if (kind == PatchKind.Apply)
        {
            return Apply(definition, version, ns, name, body, request, subresource);
        }

        var patch = ParsePatch(body);
        lock (store.Gate)
        {
            var old = store.Get(definition, ns, name) ?? throw ApiErrors.NotFound(definition, name);
            var patched = ApplyPatch(kind, Present(old, definition, version), patch);
            CheckKind(definition, version, patched);
            CheckName(definition, name, ns, patched);
            CheckResourceVersion(definition, name, old, patched);
            var replacement = subresource == "status" ? WithStatusOf(old, patched) : WithMainOf(definition, old, patched);
            return FinishUpdate(definition, version, old, replacement, request, subresource, recordManagedFields: true);
        }
    }

    /// <summary>Server-side apply: creates the object when absent, otherwise merges with field ownership.</summary>
    public JsonObject Apply(
        ResourceDefinition definition, string version, string? ns, string name, string body, WriteRequest request, string? subresource)
    {
        if (string.IsNullOrEmpty(request.FieldManager))
        {
            throw ApiErrors.Invalid("PatchOptions.meta.k8s.io", string.Empty,
                [Validation.FieldError.Required("fieldManager", "is required for apply patch")], "meta.k8s.io", "PatchOptions");
        }

        JsonObject config;
        try
        {
            config = YamlJsonReader.Parse(body) as JsonObject ?? throw ApiErrors.BadRequest("the apply configuration must be an object");
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest($"error decoding YAML: {e.Message}");
        }

        var apiVersion = config.StringAt("apiVersion");
        var kind = config.StringAt("kind");
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            throw ApiErrors.BadRequest("invalid object type: apiVersion and kind must be set in an apply configuration");
        }

        CheckKind(definition, version, config);
        CheckName(definition, name, ns, config);
        lock (store.Gate)
        {
            var old = store.Get(definition, ns, name);
            var scope = subresource == "status" ? FieldScope.StatusOnly : MainScope(definition);
            var owner = new FieldOwner(request.Manager, scope, subresource, definition.ApiVersion(version), Now());
            if (old is null)
            {
                if (subresource is not null)
                {
                    throw ApiErrors.NotFound(definition, name);
                }

                var skeleton = new JsonObject
                {
                    ["apiVersion"] = definition.ApiVersion(version),
                    ["kind"] = definition.Kind,
                    ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = definition.Namespaced ? ns : null },
                };
                if (!definition.Namespaced)
                {
                    ObjectMeta.Metadata(skeleton).Remove("namespace");
                }

                var created = ServerSideApply.Apply(skeleton, config, owner, request.Force);
                return CreateLocked(definition, version, created, request, owner, managedFieldsSet: true);
            }

            CheckResourceVersion(definition, name, old, config);
            var merged = ServerSideApply.Apply(Present(old, definition, version), config, owner, request.Force);
            return FinishUpdate(definition, version, old, merged, request, subresource, recordManagedFields: false);
        }
    }

    private static JsonNode? ParsePatch(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiErrors.BadRequest($"error decoding patch: {e.Message}");
        }
    }

    private static JsonObject ApplyPatch(PatchKind kind, JsonObject target, JsonNode? patch)
    {
        try
        {
            var result = kind switch
            {
                PatchKind.Merge => JsonMergePatch.Apply(target, patch),
                PatchKind.StrategicMerge => StrategicMergePatch.Apply(target, patch),
                _ => JsonPatch.Apply(target, patch),
            };
            return result as JsonObject ?? throw ApiErrors.BadRequest("the patch did not produce an object");
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw new KubeApiException(422, "Invalid", $"the server rejected our request due to an error in our request: {e.Message}");
        }
    }
}
