using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;

namespace Platform.KubeApiDouble.Apply;

/// <summary>One <c>metadata.managedFields</c> entry: who set which fields, by apply or by update.</summary>
internal sealed record ManagedFieldsEntry(
    string Manager,
    string Operation,
    string ApiVersion,
    string? Time,
    string? Subresource,
    IReadOnlySet<FieldPath> Paths)
{
    public const string ApplyOperation = "Apply";
    public const string UpdateOperation = "Update";

    public bool IsSameOwner(string manager, string operation, string? subresource) =>
        Manager == manager && Operation == operation && Subresource == subresource;

    public static List<ManagedFieldsEntry> ReadAll(JsonObject? obj)
    {
        var entries = new List<ManagedFieldsEntry>();
        if (obj?.ObjectAt("metadata")?.ArrayAt("managedFields") is not { } array)
        {
            return entries;
        }

        foreach (var item in array.OfType<JsonObject>())
        {
            var paths = new HashSet<FieldPath>();
            if (item.ObjectAt("fieldsV1") is { } fields)
            {
                ParseFields(fields, FieldPath.Root, paths);
            }

            entries.Add(new ManagedFieldsEntry(
                item.StringAt("manager") ?? string.Empty,
                item.StringAt("operation") ?? UpdateOperation,
                item.StringAt("apiVersion") ?? string.Empty,
                item.StringAt("time"),
                item.StringAt("subresource"),
                paths));
        }

        return entries;
    }

    /// <summary>Writes the entries into <c>metadata.managedFields</c>, dropping the ones that own nothing.</summary>
    public static void WriteAll(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        var metadata = obj.EnsureObject("metadata");
        var array = new JsonArray();
        foreach (var entry in entries.Where(e => e.Paths.Count > 0))
        {
            var item = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
            };
            if (entry.Time is not null)
            {
                item["time"] = entry.Time;
            }

            item["fieldsType"] = "FieldsV1";
            item["fieldsV1"] = ToFieldsV1(entry.Paths);
            if (entry.Subresource is not null)
            {
                item["subresource"] = entry.Subresource;
            }

            array.Add(item);
        }

        if (array.Count > 0)
        {
            metadata["managedFields"] = array;
        }
        else
        {
            metadata.Remove("managedFields");
        }
    }

    public static JsonObject ToFieldsV1(IEnumerable<FieldPath> paths)
    {
        var root = new TrieNode();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var element in path.Elements)
            {
                node = node.Child(element);
            }

            node.Owned = true;
        }

        return root.ToJson();
    }

    private static void ParseFields(JsonObject fields, FieldPath path, HashSet<FieldPath> paths)
    {
        foreach (var (key, value) in fields)
        {
            if (key == ".")
            {
                paths.Add(path);
            }
            else if (value is JsonObject child && child.Count > 0)
            {
                ParseFields(child, path.Append(key), paths);
            }
            else
            {
                paths.Add(path.Append(key));
            }
        }
    }

    private sealed class TrieNode
    {
        private readonly SortedDictionary<string, TrieNode> _children = new(StringComparer.Ordinal);

        public bool Owned { get; set; }

        public TrieNode Child(string element)
        {
            if (!_children.TryGetValue(element, out var child))
            {
                child = new TrieNode();
                _children[element] = child;
            }

            return child;
        }

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            if (Owned && _children.Count > 0)
            {
                json["."] = new JsonObject();
            }

            foreach (var (element, child) in _children)
            {
                json[element] = child.ToJson();
            }

            return json;
        }
    }
}
