using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Registry;
using Platform.KubeApiDouble.Selectors;

namespace Platform.KubeApiDouble.Watch;

internal enum ChangeType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>An immutable, serialized copy of a stored object with what watch filters need.</summary>
internal sealed record ObjectSnapshot(
    string? Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Fields,
    string Json)
{
    public static ObjectSnapshot Of(JsonObject obj, ResourceDefinition definition)
    {
        var metadata = obj.ObjectAt("metadata");
        return new ObjectSnapshot(
            metadata?.StringAt("namespace"),
            metadata?.StringAt("name") ?? string.Empty,
            LabelSelector.LabelsOf(obj),
            FieldSelector.FieldsOf(obj, definition.SelectableFields),
            obj.ToJsonString());
    }
}

/// <summary>One committed change, kept in the bounded history that watches resume from.</summary>
internal sealed record ChangeEvent(long ResourceVersion, string StorageKey, ChangeType Type, ObjectSnapshot Object, ObjectSnapshot? Previous);
