using System.Text.Json.Nodes;

namespace Platform.Operator.Tests.Api;

/// <summary>Applies a structural schema's defaults to an object as the API server does: absent fields with a default get it, then their insides are defaulted.</summary>
internal static class SchemaDefaulter
{
    public static void Apply(JsonObject schema, JsonNode? value)
    {
        switch (value)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (name, propertySchema) in properties)
                {
                    if (!obj.ContainsKey(name) && propertySchema!["default"] is { } defaultValue)
                    {
                        obj[name] = defaultValue.DeepClone();
                    }
                    if (obj[name] is { } child)
                    {
                        Apply(propertySchema!.AsObject(), child);
                    }
                }
                break;
            case JsonArray array when schema["items"] is JsonObject items:
                foreach (var item in array)
                {
                    Apply(items, item);
                }
                break;
        }
    }
}
