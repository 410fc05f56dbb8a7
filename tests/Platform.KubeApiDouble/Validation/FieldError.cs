using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;

namespace Platform.KubeApiDouble.Validation;

internal enum FieldErrorType
{
    Required,
    Invalid,
    NotSupported,
    TooLong,
    TooMany,
    Forbidden,
    Duplicate,
}

/// <summary>One field validation failure, rendered the way the API server renders <c>field.Error</c>.</summary>
internal sealed record FieldError(FieldErrorType Type, string Field, string Detail, JsonNode? Value = null)
{
    public static FieldError Required(string field, string detail = "") => new(FieldErrorType.Required, field, detail);

    public static FieldError Invalid(string field, JsonNode? value, string detail) =>
        new(FieldErrorType.Invalid, field, detail, value?.DeepClone());

    public static FieldError Forbidden(string field, string detail) => new(FieldErrorType.Forbidden, field, detail);

    public string Reason => Type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        _ => "FieldValueInvalid",
    };

    /// <summary>The message without the field prefix (the <c>causes[].message</c> of a Status).</summary>
    public string Summary => Type switch
    {
        FieldErrorType.Required => Detail.Length == 0 ? "Required value" : $"Required value: {Detail}",
        FieldErrorType.NotSupported => $"Unsupported value: {JsonNodeExtensions.Describe(Value)}: supported values: {Detail}",
        FieldErrorType.TooLong => $"Too long: {Detail}",
        FieldErrorType.TooMany => $"Too many: {JsonNodeExtensions.Describe(Value)}: {Detail}",
        FieldErrorType.Forbidden => $"Forbidden: {Detail}",
        FieldErrorType.Duplicate => $"Duplicate value: {JsonNodeExtensions.Describe(Value)}",
        _ => $"Invalid value: {JsonNodeExtensions.Describe(Value)}: {Detail}",
    };

    public override string ToString() => $"{Field}: {Summary}";
}
