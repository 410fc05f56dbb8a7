using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;

namespace Platform.KubeApiDouble.Validation;

/// <summary>
/// What the server does to a custom resource before validating it: prunes fields the structural
/// schema does not declare (unless <c>x-kubernetes-preserve-unknown-fields</c>), drops nulls of
/// non-nullable fields, and fills in <c>default</c>s.
/// </summary>
internal static class StructuralDefaulting
{
    private static readonly HashSet<string> EmbeddedObjectFields = ["apiVersion", "kind", "metadata"];

    /// <summary>Prunes and defaults an object in place; <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> are left alone.</summary>
    public static void Apply(JsonObject obj, JsonObject schema) => ProcessObject(obj, schema, keepObjectFields: true);

    private static JsonNode? Process(JsonNode? value, JsonObject schema)
    {
        switch (value)
        {
            case JsonObject obj:
                ProcessObject(obj, schema, keepObjectFields: schema["x-kubernetes-embedded-resource"]?.GetValue<bool>() == true);
                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < array.Count; i++)
                {
                    var item = array[i];
                    var processed = Process(item, itemSchema);
                    if (!ReferenceEquals(processed, item))
                    {
                        array[i] = processed;
                    }
                }

                break;
        }

        return value;
    }

    private static void ProcessObject(JsonObject obj, JsonObject schema, bool keepObjectFields)
    {
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        var preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;

        foreach (var (key, value) in obj.ToList())
        {
            if (keepObjectFields && EmbeddedObjectFields.Contains(key))
            {
                continue;
            }

            var fieldSchema = properties?[key] as JsonObject ?? additional as JsonObject;
            if (fieldSchema is null)
            {
                var additionalAllowed = additional is JsonValue flag && flag.GetValue<bool>();
                if (!preserveUnknown && !additionalAllowed)
                {
                    obj.Remove(key);
                }

                continue;
            }

            if (value is null && fieldSchema["nullable"]?.GetValue<bool>() != true)
            {
                obj.Remove(key);
                continue;
            }

            Process(value, fieldSchema);
        }

        if (properties is null)
        {
            return;
        }

        foreach (var (key, propertySchema) in properties)
        {
            if (!obj.ContainsKey(key) && propertySchema is JsonObject ps && ps.TryGetPropertyValue("default", out var defaultValue))
            {
                var filled = defaultValue?.DeepClone();
                obj[key] = filled;
                Process(filled, ps);
            }
        }
    }
}
