using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;

namespace Platform.KubeApiDouble.Patching;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>) as far as controllers use it:
/// like a merge patch, except that keyed lists (see <see cref="ListMergeKeys"/>) merge item by item,
/// and the <c>$patch: replace|delete</c> directives are honoured. Other directives are ignored.
/// </summary>
internal static class StrategicMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => Apply(target, patch, fieldName: null);

    private static JsonNode? Apply(JsonNode? target, JsonNode? patch, string? fieldName)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var directive = patchObject.StringAt("$patch");
        if (directive == "replace")
        {
            return WithoutDirectives(patchObject);
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonArray patchList && result[key] is JsonArray liveList &&
                     ListMergeKeys.For(key, liveList, WithoutDeleteDirectives(patchList)) is { } mergeKey)
            {
                result[key] = MergeList(liveList, patchList, mergeKey);
            }
            else if (value is JsonObject valueObject && valueObject.StringAt("$patch") == "delete")
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Apply(result[key], value, key);
            }
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray live, JsonArray patch, string mergeKey)
    {
        var merged = live.Select(n => n?.DeepClone()).ToList();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var key = ListMergeKeys.KeyOf(item, mergeKey);
            var index = merged.FindIndex(n => n is JsonObject o && ListMergeKeys.KeyOf(o, mergeKey) == key);
            if (item.StringAt("$patch") == "delete")
            {
                if (index >= 0)
                {
                    merged.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                merged[index] = Apply(merged[index], item, fieldName: null);
            }
            else
            {
                merged.Add(Apply(null, item, fieldName: null));
            }
        }

        return new JsonArray(merged.ToArray());
    }

    private static JsonArray WithoutDeleteDirectives(JsonArray list) =>
        new(list.Where(n => n is not JsonObject o || o.StringAt("$patch") != "delete").Select(n => n?.DeepClone()).ToArray());

    private static JsonObject WithoutDirectives(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("$patch");
        return copy;
    }
}
