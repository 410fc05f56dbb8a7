using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.KubeApiDouble.Json;

/// <summary>Small conveniences over System.Text.Json.Nodes for Kubernetes-shaped objects.</summary>
internal static class JsonNodeExtensions
{
    public static JsonObject? ObjectAt(this JsonObject obj, string key) => obj[key] as JsonObject;

    public static JsonArray? ArrayAt(this JsonObject obj, string key) => obj[key] as JsonArray;

    public static string? StringAt(this JsonObject obj, string key) =>
        obj[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static long? LongAt(this JsonObject obj, string key) => obj[key].AsLong();

    public static long? AsLong(this JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }

        if (value.TryGetValue<double>(out var d) && Math.Abs(d % 1) < double.Epsilon && d is >= long.MinValue and <= long.MaxValue)
        {
            return (long)d;
        }

        return long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    public static double? AsDouble(this JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number &&
        double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : null;

    /// <summary>The object at <paramref name="key"/>, created when absent (replacing a non-object value).</summary>
    public static JsonObject EnsureObject(this JsonObject obj, string key)
    {
        if (obj[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        obj[key] = created;
        return created;
    }

    public static JsonObject CloneObject(this JsonObject obj) => (JsonObject)obj.DeepClone();

    public static JsonNode? CloneNode(this JsonNode? node) => node?.DeepClone();

    public static bool JsonEquals(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is JsonValue va && b is JsonValue vb &&
            va.GetValueKind() == JsonValueKind.Number && vb.GetValueKind() == JsonValueKind.Number)
        {
            // 1 and 1.0 are the same number to Kubernetes; compare numerically.
            return va.AsDouble() == vb.AsDouble();
        }

        if (a is JsonObject oa && b is JsonObject ob)
        {
            if (oa.Count != ob.Count)
            {
                return false;
            }

            foreach (var (key, value) in oa)
            {
                if (!ob.TryGetPropertyValue(key, out var other) || !JsonEquals(value, other))
                {
                    return false;
                }
            }

            return true;
        }

        if (a is JsonArray aa && b is JsonArray ab)
        {
            if (aa.Count != ab.Count)
            {
                return false;
            }

            for (var i = 0; i < aa.Count; i++)
            {
                if (!JsonEquals(aa[i], ab[i]))
                {
                    return false;
                }
            }

            return true;
        }

        return JsonNode.DeepEquals(a, b);
    }

    /// <summary>A short human rendering of a value for error messages, as the API server prints them.</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "\"" + v.GetValue<string>() + "\"",
        JsonObject => "\"object\"",
        JsonArray => "\"array\"",
        _ => node.ToJsonString(),
    };

    /// <summary>The JSON type name of a node (object, array, string, integer, number, boolean, null).</summary>
    public static string JsonTypeName(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => v.AsLong() is not null ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "unknown",
    };
}
