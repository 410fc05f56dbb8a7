using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Patching;

namespace Platform.KubeApiDouble.Apply;

/// <summary>Finds, reads and removes field paths in objects.</summary>
internal static class FieldSets
{
    // Set by the server; never owned by a manager.
    private static readonly HashSet<string> ServerMetadata =
    [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
    ];

    /// <summary>
    /// The owned paths of an object's content within a scope: every leaf (scalar, empty object, atomic
    /// list) and every item of a keyed list.
    /// </summary>
    public static HashSet<FieldPath> Collect(JsonObject obj, FieldScope scope)
    {
        var paths = new HashSet<FieldPath>();
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" || !InScope(key, scope))
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (metaKey, metaValue) in metadata)
                {
                    if (!ServerMetadata.Contains(metaKey))
                    {
                        CollectValue(metaValue, FieldPath.Root.Field("metadata").Field(metaKey), metaKey, paths);
                    }
                }

                continue;
            }

            CollectValue(value, FieldPath.Root.Field(key), key, paths);
        }

        return paths;
    }

    public static bool InScope(string topLevelKey, FieldScope scope) => scope switch
    {
        FieldScope.MainWithoutStatus => topLevelKey != "status",
        FieldScope.StatusOnly => topLevelKey == "status",
        _ => true,
    };

    public static string ItemKey(JsonObject item, string mergeKey) =>
        new JsonObject { [mergeKey] = item[mergeKey]?.DeepClone() }.ToJsonString();

    /// <summary>The value at a path, and whether it exists.</summary>
    public static (bool Found, JsonNode? Value) Get(JsonObject root, FieldPath path)
    {
        JsonNode? current = root;
        string? fieldName = null;
        foreach (var element in path.Elements)
        {
            switch (current)
            {
                case JsonObject obj when element.StartsWith("f:", StringComparison.Ordinal):
                    fieldName = element[2..];
                    if (!obj.TryGetPropertyValue(fieldName, out current))
                    {
                        return (false, null);
                    }

                    break;
                case JsonArray array when element.StartsWith("k:", StringComparison.Ordinal):
                    current = FindItem(array, element[2..], out _);
                    if (current is null)
                    {
                        return (false, null);
                    }

                    break;
                default:
                    return (false, null);
            }
        }

        return (true, current);
    }

    /// <summary>Removes the field or list item at a path; a missing path is left alone.</summary>
    public static void Remove(JsonObject root, FieldPath path)
    {
        if (path.Elements.Count == 0)
        {
            return;
        }

        var parentPath = path.Elements.Take(path.Elements.Count - 1).ToList();
        JsonNode? parent = root;
        foreach (var element in parentPath)
        {
            parent = parent switch
            {
                JsonObject obj when element.StartsWith("f:", StringComparison.Ordinal) => obj[element[2..]],
                JsonArray array when element.StartsWith("k:", StringComparison.Ordinal) => FindItem(array, element[2..], out _),
                _ => null,
            };
            if (parent is null)
            {
                return;
            }
        }

        var last = path.Elements[^1];
        if (parent is JsonObject parentObject && last.StartsWith("f:", StringComparison.Ordinal))
        {
            parentObject.Remove(last[2..]);
        }
        else if (parent is JsonArray parentArray && last.StartsWith("k:", StringComparison.Ordinal) &&
                 FindItem(parentArray, last[2..], out var index) is not null)
        {
            parentArray.RemoveAt(index);
        }
    }

    /// <summary>Deep copy of a node with every null member of an object dropped (apply treats null as unset).</summary>
    public static JsonNode? WithoutNulls(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Where(p => p.Value is not null)
            .Select(p => KeyValuePair.Create(p.Key, WithoutNulls(p.Value)))),
        JsonArray array => new JsonArray(array.Select(WithoutNulls).ToArray()),
        _ => node?.DeepClone(),
    };

    private static void CollectValue(JsonNode? value, FieldPath path, string? fieldName, HashSet<FieldPath> paths)
    {
        switch (value)
        {
            case JsonObject obj when obj.Count > 0:
                foreach (var (key, child) in obj)
                {
                    CollectValue(child, path.Field(key), key, paths);
                }

                break;
            case JsonArray array when array.Count > 0 && ListMergeKeys.For(fieldName, array) is { } mergeKey:
                foreach (var item in array.OfType<JsonObject>())
                {
                    var itemPath = path.Item(ItemKey(item, mergeKey));
                    paths.Add(itemPath);
                    foreach (var (key, child) in item)
                    {
                        CollectValue(child, itemPath.Field(key), key, paths);
                    }
                }

                break;
            default:
                paths.Add(path);
                break;
        }
    }

    private static JsonObject? FindItem(JsonArray array, string keyJson, out int index)
    {
        var key = JsonNode.Parse(keyJson) as JsonObject ?? [];
        for (index = 0; index < array.Count; index++)
        {
            if (array[index] is JsonObject item && key.All(k => JsonNodeExtensions.JsonEquals(item[k.Key], k.Value)))
            {
                return item;
            }
        }

        index = -1;
        return null;
    }
}
