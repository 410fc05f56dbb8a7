using System.Text.Json.Nodes;
using NJsonSchema;

namespace Platform.KubeApiDouble.Validation;

/// <summary>
/// The compiled schema of one version of a custom resource: pruning and defaults, OpenAPI validation
/// (through NJsonSchema) and the <c>x-kubernetes-validations</c> rules within the supported CEL subset.
/// </summary>
internal sealed class CustomResourceSchema
{
    private readonly JsonObject _openApiSchema;
    private readonly JsonSchema _jsonSchema;
    private readonly IReadOnlyList<ValidationRule> _rules;

    private CustomResourceSchema(JsonObject openApiSchema, JsonSchema jsonSchema, IReadOnlyList<ValidationRule> rules, IReadOnlyList<UnevaluatedValidationRule> unevaluated)
    {
        _openApiSchema = openApiSchema;
        _jsonSchema = jsonSchema;
        _rules = rules;
        UnevaluatedRules = unevaluated;
    }

    public IReadOnlyList<UnevaluatedValidationRule> UnevaluatedRules { get; }

    /// <summary>Schema defaults that fail a validation rule: the API server refuses such a CRD.</summary>
    public IReadOnlyList<FieldError> DefaultErrors => ValidationRule.CheckDefaults(_rules, _openApiSchema).ToList();

    /// <exception cref="FormatException">The schema cannot be read.</exception>
    public static CustomResourceSchema Compile(JsonObject openApiSchema, string crdName, string version)
    {
        var converted = OpenApiToJsonSchema.ConvertRoot(openApiSchema);
        JsonSchema jsonSchema;
        try
        {
            jsonSchema = JsonSchema.FromJsonAsync(converted.ToJsonString()).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"openAPIV3Schema of version {version} cannot be read: {e.Message}", e);
        }

        var unevaluated = new List<UnevaluatedValidationRule>();
        var rules = ValidationRule.CompileAll(openApiSchema, crdName, version, unevaluated);
        return new CustomResourceSchema((JsonObject)openApiSchema.DeepClone(), jsonSchema, rules, unevaluated);
    }

    /// <summary>Prunes unknown fields and fills defaults, in place.</summary>
    public void PruneAndDefault(JsonObject obj) => StructuralDefaulting.Apply(obj, _openApiSchema);

    /// <summary>Schema and rule violations of <paramref name="obj"/>; <paramref name="old"/> enables transition rules.</summary>
    public IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old)
    {
        var body = (JsonObject)obj.DeepClone();
        body.Remove("apiVersion");
        body.Remove("kind");
        body.Remove("metadata");
        var errors = SchemaErrorTranslator.Translate(_jsonSchema.Validate(body.ToJsonString()), body).ToList();
        errors.AddRange(ValidationRule.Check(_rules, ForRules(obj), old is null ? null : ForRules(old)));
        return errors;
    }

    // Rules see the object with only metadata.name and metadata.generateName, as on the real server.
    private static JsonObject ForRules(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("apiVersion");
        copy.Remove("kind");
        if (copy["metadata"] is JsonObject metadata)
        {
            var visible = new JsonObject();
            foreach (var key in new[] { "name", "generateName" })
            {
                if (metadata[key] is { } value)
                {
                    visible[key] = value.DeepClone();
                }
            }

            copy["metadata"] = visible;
        }

        return copy;
    }
}
