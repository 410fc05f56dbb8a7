using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;

namespace Platform.KubeApiDouble.Validation;

/// <summary>
/// Converts a CRD's OpenAPI v3 structural schema into a JSON Schema that NJsonSchema validates:
/// <c>nullable</c> becomes a <c>null</c> type, <c>x-kubernetes-int-or-string</c> becomes
/// <c>integer|string</c>, <c>x-kubernetes-preserve-unknown-fields</c> without a type accepts anything.
/// Defaults, descriptions, list markers, formats and CEL rules are left out (handled elsewhere or ignored).
/// </summary>
internal static class OpenApiToJsonSchema
{
    private static readonly string[] CopiedKeywords =
    [
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
        "pattern", "minItems", "maxItems", "minProperties", "maxProperties",
    ];

    /// <summary>The schema of a whole object, leaving out <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>, which the server checks itself.</summary>
    public static JsonObject ConvertRoot(JsonObject openApiSchema)
    {
        var schema = Convert(openApiSchema);
        if (schema["properties"] is JsonObject properties)
        {
            properties.Remove("apiVersion");
            properties.Remove("kind");
            properties.Remove("metadata");
        }

        if (schema["required"] is JsonArray required)
        {
            schema["required"] = new JsonArray(required
                .Where(r => r?.GetValue<string>() is not ("apiVersion" or "kind" or "metadata"))
                .Select(r => r?.DeepClone())
                .ToArray());
        }

        return schema;
    }

    public static JsonObject Convert(JsonObject openApi)
    {
        var result = new JsonObject();
        var nullable = openApi["nullable"]?.GetValue<bool>() == true;
        var types = new List<string>();
        if (openApi["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            types.AddRange(["integer", "string"]);
        }
        else if (openApi.StringAt("type") is { } type)
        {
            types.Add(type);
        }

        if (nullable && types.Count > 0)
        {
            types.Add("null");
        }

        if (types.Count == 1)
        {
            result["type"] = types[0];
        }
        else if (types.Count > 1)
        {
            result["type"] = new JsonArray(types.Select(t => (JsonNode)t).ToArray());
        }

        foreach (var keyword in CopiedKeywords)
        {
            if (openApi.TryGetPropertyValue(keyword, out var value) && value is not null)
            {
                result[keyword] = value.DeepClone();
            }
        }

        if (openApi["enum"] is JsonArray values)
        {
            var copy = new JsonArray(values.Select(v => v?.DeepClone()).ToArray());
            if (nullable)
            {
                copy.Add(null);
            }

            result["enum"] = copy;
        }

        if (openApi["required"] is JsonArray requiredList)
        {
            result["required"] = requiredList.DeepClone();
        }

        if (openApi["properties"] is JsonObject properties)
        {
            result["properties"] = new JsonObject(properties
                .Where(p => p.Value is JsonObject)
                .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Convert((JsonObject)p.Value!))));
        }

        if (openApi["items"] is JsonObject items)
        {
            result["items"] = Convert(items);
        }

        switch (openApi["additionalProperties"])
        {
            case JsonObject additional:
                result["additionalProperties"] = Convert(additional);
                break;
            case JsonValue flag:
                result["additionalProperties"] = flag.DeepClone();
                break;
        }

        foreach (var combinator in new[] { "allOf", "anyOf", "oneOf" })
        {
            // The anyOf of an int-or-string field only restates its type.
            if (openApi[combinator] is JsonArray alternatives && openApi["x-kubernetes-int-or-string"]?.GetValue<bool>() != true)
            {
                result[combinator] = new JsonArray(alternatives.OfType<JsonObject>().Select(a => (JsonNode)Convert(a)).ToArray());
            }
        }

        if (openApi["not"] is JsonObject not)
        {
            result["not"] = Convert(not);
        }

        return result;
    }
}
