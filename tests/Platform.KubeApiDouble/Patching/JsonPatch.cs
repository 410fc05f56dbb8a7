using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;

namespace Platform.KubeApiDouble.Patching;

/// <summary>RFC 6902 JSON patch (<c>application/json-patch+json</c>): add, remove, replace, move, copy, test.</summary>
internal static class JsonPatch
{
    /// <exception cref="FormatException">The patch document is malformed.</exception>
    /// <exception cref="InvalidOperationException">An operation does not apply to the document (missing path, failed test).</exception>
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw new FormatException("a JSON patch must be an array of operations");
        }

        var root = new JsonObject { ["doc"] = document?.DeepClone() };
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op)
            {
                throw new FormatException("each JSON patch operation must be an object");
            }

            var name = op.StringAt("op") ?? throw new FormatException("JSON patch operation without \"op\"");
            var path = Pointer(op, "path");
            switch (name)
            {
                case "add":
                    Add(root, path, RequiredValue(op));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, RequiredValue(op));
                    break;
                case "move":
                    var from = Pointer(op, "from");
                    var moved = Get(root, from);
                    Remove(root, from);
                    Add(root, path, moved);
                    break;
                case "copy":
                    Add(root, path, Get(root, Pointer(op, "from"))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNodeExtensions.JsonEquals(Get(root, path), op["value"]))
                    {
                        throw new InvalidOperationException($"testing value {op["value"]?.ToJsonString() ?? "null"} at \"{op.StringAt("path")}\" failed");
                    }

                    break;
                default:
                    throw new FormatException($"unexpected JSON patch operation \"{name}\"");
            }
        }

        return root["doc"]?.DeepClone();
    }

    private static JsonNode? RequiredValue(JsonObject op) =>
        op.ContainsKey("value") ? op["value"]?.DeepClone() : throw new FormatException($"\"{op.StringAt("op")}\" operation without \"value\"");

    // Pointers are resolved against a wrapper object, so "" (the whole document) is the "doc" member.
    private static List<string> Pointer(JsonObject op, string member)
    {
        var text = op.StringAt(member) ?? throw new FormatException($"JSON patch operation without \"{member}\"");
        if (text.Length > 0 && !text.StartsWith('/'))
        {
            throw new FormatException($"JSON pointer \"{text}\" must start with '/'");
        }

        var tokens = new List<string> { "doc" };
        if (text.Length > 0)
        {
            tokens.AddRange(text[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")));
        }

        return tokens;
    }

    private static JsonNode Parent(JsonObject root, List<string> path)
    {
        JsonNode? current = root;
        foreach (var token in path.Take(path.Count - 1))
        {
            current = Child(current, token) ?? throw Missing(path);
        }

        return current!;
    }

    private static JsonNode? Child(JsonNode? node, string token) => node switch
    {
        JsonObject obj => obj[token],
        JsonArray array when int.TryParse(token, out var i) && i >= 0 && i < array.Count => array[i],
        _ => null,
    };

    private static JsonNode? Get(JsonObject root, List<string> path)
    {
        var parent = Parent(root, path);
        var last = path[^1];
        return parent switch
        {
            JsonObject obj when obj.TryGetPropertyValue(last, out var value) => value,
            JsonArray array when int.TryParse(last, out var i) && i >= 0 && i < array.Count => array[i],
            _ => throw Missing(path),
        };
    }

    private static void Add(JsonObject root, List<string> path, JsonNode? value)
    {
        var parent = Parent(root, path);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(last, out var i) && i >= 0 && i <= array.Count:
                array.Insert(i, value);
                break;
            default:
                throw Missing(path);
        }
    }

    private static void Remove(JsonObject root, List<string> path)
    {
        var parent = Parent(root, path);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                obj.Remove(last);
                break;
            case JsonArray array when int.TryParse(last, out var i) && i >= 0 && i < array.Count:
                array.RemoveAt(i);
                break;
            default:
                throw Missing(path);
        }
    }

    private static InvalidOperationException Missing(List<string> path) =>
        new($"the path \"/{string.Join('/', path.Skip(1))}\" does not exist");
}
