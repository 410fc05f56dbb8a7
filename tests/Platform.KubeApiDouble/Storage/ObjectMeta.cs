using System.Globalization;
using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;

namespace Platform.KubeApiDouble.Storage;

/// <summary>Reading and stamping the metadata fields the server owns.</summary>
internal static class ObjectMeta
{
    /// <summary>Fields of <c>metadata</c> only the server sets.</summary>
    public static readonly string[] ServerOwned =
        ["uid", "creationTimestamp", "generation", "resourceVersion", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"];

    public static JsonObject Metadata(JsonObject obj) => obj.EnsureObject("metadata");

    public static string? Name(JsonObject obj) => obj.ObjectAt("metadata")?.StringAt("name");

    public static string? Namespace(JsonObject obj) => obj.ObjectAt("metadata")?.StringAt("namespace");

    public static string? Uid(JsonObject obj) => obj.ObjectAt("metadata")?.StringAt("uid");

    public static string? ResourceVersion(JsonObject obj) => obj.ObjectAt("metadata")?.StringAt("resourceVersion");

    public static long Generation(JsonObject obj) => obj.ObjectAt("metadata")?.LongAt("generation") ?? 0;

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Copies the server-owned metadata of the stored object onto a candidate replacement.</summary>
    public static void CarryServerFields(JsonObject from, JsonObject to)
    {
        var source = Metadata(from);
        var target = Metadata(to);
        foreach (var field in ServerOwned)
        {
            target.Remove(field);
            if (source[field] is { } value)
            {
                target[field] = value.DeepClone();
            }
        }
    }

    /// <summary>The owner UIDs listed in <c>metadata.ownerReferences</c>.</summary>
    public static IEnumerable<string> OwnerUids(JsonObject obj) =>
        obj.ObjectAt("metadata")?.ArrayAt("ownerReferences")?.OfType<JsonObject>()
            .Select(r => r.StringAt("uid")).OfType<string>() ?? [];

    public static bool HasFinalizers(JsonObject obj) => obj.ObjectAt("metadata")?.ArrayAt("finalizers") is { Count: > 0 };

    public static bool IsBeingDeleted(JsonObject obj) => obj.ObjectAt("metadata")?.ContainsKey("deletionTimestamp") == true;
}
