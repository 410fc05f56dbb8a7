using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Platform.Operator.Api.Schema;

/// <summary>
/// Builds a structural OpenAPI v3 schema (the dialect of CRD validation) from C# types and
/// the marker attributes on them. Field names follow the JSON serialization: an explicit
/// <see cref="JsonPropertyNameAttribute"/>, else camelCase as KubernetesJson writes them.
/// </summary>
internal static class OpenApiSchemaGenerator
{
    private const int MaxDepth = 32;

    /// <summary>The schema of a whole object type (used for the resource's root).</summary>
    public static JsonObject ForType(Type type) => SchemaForType(type, depth: 0);

    private static JsonObject SchemaForType(Type type, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"Schema of {type} nests deeper than {MaxDepth} levels; recursive types cannot have a structural schema.");
        }

        type = Nullable.GetUnderlyingType(type) ?? type;

        if (KubernetesSchemas.Fixed(type) is { } known)
        {
            return known;
        }
        if (type == typeof(string))
        {
            return Typed("string");
        }
        if (type == typeof(bool))
        {
            return Typed("boolean");
        }
        if (type == typeof(int) || type == typeof(short) || type == typeof(byte))
        {
            return Typed("integer", "int32");
        }
        if (type == typeof(long))
        {
            return Typed("integer", "int64");
        }
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return Typed("number", "double");
        }
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return Typed("string", "date-time");
        }
        if (type == typeof(byte[]))
        {
            return Typed("string", "byte");
        }
        if (type.IsEnum)
        {
            return EnumSchema(type);
        }
        if (DictionaryValueType(type) is { } valueType)
        {
            return new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = SchemaForType(valueType, depth + 1),
            };
        }
        if (ListItemType(type) is { } itemType)
        {
            return new JsonObject
            {
                ["type"] = "array",
                ["items"] = SchemaForType(itemType, depth + 1),
            };
        }
        if (type.IsClass)
        {
            return ObjectSchema(type, depth);
        }
        throw new NotSupportedException($"No schema mapping for {type}.");
    }

    private static JsonObject ObjectSchema(Type type, int depth)
    {
        var schema = new JsonObject { ["type"] = "object" };
        if (type.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Text;
        }

        var properties = new JsonObject();
        var required = new List<string>(KubernetesSchemas.Required(type));
        foreach (var property in SerializedProperties(type))
        {
            var name = JsonName(property);
            properties[name] = PropertySchema(property, depth);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null && !required.Contains(name))
            {
                required.Add(name);
            }
        }
        if (properties.Count > 0)
        {
            schema["properties"] = properties;
        }
        if (required.Count > 0)
        {
            required.Sort(StringComparer.Ordinal);
            schema["required"] = new JsonArray([.. required.Select(r => JsonValue.Create(r))]);
        }
        AddCelRules(schema, type.GetCustomAttributes<CelRuleAttribute>());
        return schema;
    }

    private static JsonObject PropertySchema(PropertyInfo property, int depth)
    {
        var schema = SchemaForType(property.PropertyType, depth + 1);

        if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Text;
        }
        if (property.GetCustomAttribute<DefaultAttribute>() is { } defaultValue)
        {
            schema["default"] = JsonSerializer.SerializeToNode(defaultValue.Value);
        }
        if (property.GetCustomAttribute<DefaultEmptyObjectAttribute>() is not null)
        {
            schema["default"] = new JsonObject();
        }
        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            schema["minimum"] = Number(range.Minimum);
            if (range.Maximum is { } maximum)
            {
                schema["maximum"] = Number(maximum);
            }
        }
        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            schema["pattern"] = pattern.Regex;
        }
        if (property.GetCustomAttribute<LengthAttribute>() is { } length)
        {
            schema["minLength"] = length.Minimum;
            schema["maxLength"] = length.Maximum;
        }
        if (property.GetCustomAttribute<ItemsAttribute>() is { } items)
        {
            schema["minItems"] = items.Minimum;
            schema["maxItems"] = items.Maximum;
        }
        if (property.GetCustomAttribute<ItemRangeAttribute>() is { } itemRange)
        {
            var itemSchema = schema["items"]?.AsObject()
                ?? throw new InvalidOperationException($"{property.DeclaringType?.Name}.{property.Name}: ItemRange needs a list.");
            itemSchema["minimum"] = Number(itemRange.Minimum);
            itemSchema["maximum"] = Number(itemRange.Maximum);
        }
        if (property.GetCustomAttribute<ListMapAttribute>() is { } listMap)
        {
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = new JsonArray([.. listMap.Keys.Select(k => JsonValue.Create(k))]);
        }
        if (property.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null)
        {
            schema["x-kubernetes-preserve-unknown-fields"] = true;
        }
        AddCelRules(schema, property.GetCustomAttributes<CelRuleAttribute>());
        return schema;
    }

    private static void AddCelRules(JsonObject schema, IEnumerable<CelRuleAttribute> rules)
    {
        foreach (var rule in rules)
        {
            if (schema["x-kubernetes-validations"] is not JsonArray list)
            {
                list = [];
                schema["x-kubernetes-validations"] = list;
            }
            var entry = new JsonObject { ["rule"] = rule.Rule, ["message"] = rule.Message };
            if (rule.FieldPath is not null)
            {
                entry["fieldPath"] = rule.FieldPath;
            }
            list.Add(entry);
        }
    }

    /// <summary>Properties in a stable order: the serialized name, ordinal.</summary>
    internal static IEnumerable<PropertyInfo> SerializedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
            .OrderBy(JsonName, StringComparer.Ordinal);

    internal static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    /// <summary>An enum member's value in JSON: its JsonStringEnumMemberName, else its name.</summary>
    internal static string JsonName(FieldInfo enumMember) =>
        enumMember.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? enumMember.Name;

    private static JsonObject EnumSchema(Type type)
    {
        var values = new JsonArray();
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            values.Add(JsonName(field));
        }
        return new JsonObject { ["type"] = "string", ["enum"] = values };
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is null)
        {
            return null;
        }
        var arguments = dictionary.GetGenericArguments();
        return arguments[0] == typeof(string)
            ? arguments[1]
            : throw new NotSupportedException($"Map keys must be strings: {type}.");
    }

    private static Type? ListItemType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static JsonObject Typed(string type, string? format = null)
    {
        var schema = new JsonObject { ["type"] = type };
        if (format is not null)
        {
            schema["format"] = format;
        }
        return schema;
    }

    /// <summary>Whole numbers as integers, so integer fields get integer bounds.</summary>
    private static JsonNode Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < long.MaxValue
            ? JsonValue.Create((long)value)
            : JsonValue.Create(value);
}
