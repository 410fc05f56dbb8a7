using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;
using NJsonSchema.Validation;
using Platform.KubeApiDouble.Json;

namespace Platform.KubeApiDouble.Validation;

/// <summary>Turns NJsonSchema validation errors into field errors worded like the API server's OpenAPI validation.</summary>
internal static partial class SchemaErrorTranslator
{
    public static IEnumerable<FieldError> Translate(IEnumerable<ValidationError> errors, JsonObject document) =>
        errors.SelectMany(e => Translate(e, document));

    private static IEnumerable<FieldError> Translate(ValidationError error, JsonObject document)
    {
        if (error is ChildSchemaValidationError child && error.Kind is ValidationErrorKind.ArrayItemNotValid
                or ValidationErrorKind.AdditionalItemNotValid or ValidationErrorKind.AdditionalPropertiesNotValid)
        {
            return child.Errors.Values.SelectMany(list => list).SelectMany(e => Translate(e, document));
        }

        var field = FieldOf(error.Path);
        var value = ValueAt(document, field);
        if (error is MultiTypeValidationError multi && AllowedTypeOf(value, multi) is { } matching)
        {
            // The value has one of the allowed types (say, a string where string or null is allowed): its errors are that type's.
            return matching.SelectMany(e => Translate(e, document));
        }

        var schema = error.Schema;
        var detail = error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => null,
            ValidationErrorKind.NumberTooSmall => schema?.IsExclusiveMinimum == true
                ? $"{field} in body should be greater than {Number(schema.Minimum)}"
                : $"{field} in body should be greater than or equal to {Number(schema?.Minimum)}",
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig => schema?.IsExclusiveMaximum == true
                ? $"{field} in body should be less than {Number(schema.Maximum)}"
                : $"{field} in body should be less than or equal to {Number(schema?.Maximum)}",
            ValidationErrorKind.StringTooShort => $"{field} in body should be at least {schema?.MinLength} chars long",
            ValidationErrorKind.PatternMismatch => $"{field} in body should match '{schema?.Pattern}'",
            ValidationErrorKind.TooFewItems => $"{field} in body should have at least {schema?.MinItems} items",
            ValidationErrorKind.TooFewProperties => $"{field} in body should have at least {schema?.MinProperties} properties",
            ValidationErrorKind.TooManyProperties => $"{field} in body should have at most {schema?.MaxProperties} properties",
            ValidationErrorKind.NumberNotMultipleOf or ValidationErrorKind.IntegerNotMultipleOf => $"{field} in body should be a multiple of {Number(schema?.MultipleOf)}",
            ValidationErrorKind.NotAnyOf => $"{field} in body must validate at least one schema (anyOf)",
            ValidationErrorKind.NotOneOf => $"{field} in body must validate one and only one schema (oneOf)",
            ValidationErrorKind.NotAllOf => $"{field} in body must validate all the schemas (allOf)",
            ValidationErrorKind.ExcludedSchemaValidates => $"{field} in body must not validate the schema (not)",
            _ => null,
        };

        FieldError result = error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => FieldError.Required(field),
            ValidationErrorKind.StringTooLong => new FieldError(FieldErrorType.TooLong, field, $"may not be longer than {schema?.MaxLength}", value),
            ValidationErrorKind.TooManyItems => new FieldError(FieldErrorType.TooMany, field, $"must have at most {schema?.MaxItems} items", JsonValue.Create((value as JsonArray)?.Count ?? 0)),
            ValidationErrorKind.NotInEnumeration => new FieldError(
                FieldErrorType.NotSupported, field,
                string.Join(", ", schema?.Enumeration.Select(EnumValue) ?? []), value),
            _ when IsTypeError(error) => FieldError.Invalid(
                field, JsonValue.Create(JsonNodeExtensions.JsonTypeName(value)),
                $"{field} in body must be of type {ExpectedTypes(schema)}: \"{JsonNodeExtensions.JsonTypeName(value)}\""),
            _ => FieldError.Invalid(field, value, detail ?? error.Kind.ToString()),
        };
        return [result];
    }

    private static ICollection<ValidationError>? AllowedTypeOf(JsonNode? value, MultiTypeValidationError error)
    {
        var type = JsonNodeExtensions.JsonTypeName(value) switch
        {
            "string" => JsonObjectType.String,
            "integer" => JsonObjectType.Integer,
            "number" => JsonObjectType.Number,
            "boolean" => JsonObjectType.Boolean,
            "object" => JsonObjectType.Object,
            "array" => JsonObjectType.Array,
            _ => JsonObjectType.Null,
        };
        return error.Errors.TryGetValue(type, out var errors) && errors.Count > 0 &&
               !errors.All(e => IsTypeError(e) && e is not MultiTypeValidationError)
            ? errors
            : null;
    }

    private static bool IsTypeError(ValidationError error) => error is MultiTypeValidationError || error.Kind is
        ValidationErrorKind.StringExpected or ValidationErrorKind.NumberExpected or ValidationErrorKind.IntegerExpected or
        ValidationErrorKind.BooleanExpected or ValidationErrorKind.ObjectExpected or ValidationErrorKind.ArrayExpected or
        ValidationErrorKind.NullExpected;

    private static string ExpectedTypes(JsonSchema? schema)
    {
        if (schema is null)
        {
            return "unknown";
        }

        var names = Enum.GetValues<JsonObjectType>()
            .Where(t => t != JsonObjectType.None && t != JsonObjectType.Null && schema.Type.HasFlag(t))
            .Select(t => t.ToString().ToLowerInvariant())
            .ToList();
        return names.Count == 0 ? "unknown" : string.Join("/", names);
    }

    private static string EnumValue(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";

    /// <summary>NJsonSchema paths look like <c>#/spec.items[0].name</c>; the server prints <c>spec.items[0].name</c>.</summary>
    private static string FieldOf(string? path)
    {
        var field = (path ?? string.Empty).TrimStart('#').TrimStart('/');
        return field.Length == 0 ? "<nil>" : field;
    }

    private static JsonNode? ValueAt(JsonObject document, string field)
    {
        JsonNode? current = document;
        foreach (Match match in PathSegment().Matches(field))
        {
            current = match.Groups["index"].Success
                ? current is JsonArray array && int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture) is var i && i < array.Count ? array[i] : null
                : (current as JsonObject)?[match.Groups["name"].Value];
        }

        return current;
    }

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
