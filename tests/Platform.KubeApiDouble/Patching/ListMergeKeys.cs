using System.Text.Json.Nodes;

namespace Platform.KubeApiDouble.Patching;

/// <summary>
/// Decides whether a list is merged item by item (and by which key) or replaced as a whole. The
/// real server reads this from the Go types and CRD list markers; this table covers the fields a
/// controller writes, and any other list whose items all carry a <c>name</c> is merged by name.
/// </summary>
internal static class ListMergeKeys
{
    private static readonly Dictionary<string, string> KnownKeys = new(StringComparer.Ordinal)
    {
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
    };

    /// <summary>The merge key of the list stored under <paramref name="fieldName"/>, or null when it is atomic.</summary>
    public static string? For(string? fieldName, params JsonArray?[] lists)
    {
        var items = lists.Where(l => l is not null).SelectMany(l => l!).ToList();
        if (items.Count == 0 || items.Any(i => i is not JsonObject))
        {
            return null;
        }

        var objects = items.Cast<JsonObject>().ToList();
        string? candidate = fieldName switch
        {
            not null when KnownKeys.TryGetValue(fieldName, out var known) => known,
            "ports" when objects.All(o => o.ContainsKey("containerPort")) => "containerPort",
            "ports" when objects.All(o => o.ContainsKey("port")) => "port",
            _ => "name",
        };

        return objects.All(o => o[candidate] is JsonValue) ? candidate : null;
    }

    /// <summary>The key value of a list item, as compact JSON (so numbers and strings never collide).</summary>
    public static string KeyOf(JsonObject item, string key) => item[key]?.ToJsonString() ?? "null";
}
