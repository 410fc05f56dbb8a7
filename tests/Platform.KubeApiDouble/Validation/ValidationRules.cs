using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Validation.Cel;

namespace Platform.KubeApiDouble.Validation;

/// <summary>A <c>x-kubernetes-validations</c> rule the server could not evaluate (outside the supported CEL subset); it is skipped.</summary>
public sealed record UnevaluatedValidationRule(string CustomResourceDefinition, string Version, string SchemaPath, string Rule, string Reason);

/// <summary>A compiled <c>x-kubernetes-validations</c> rule and where in the schema it sits.</summary>
/// <param name="SchemaPath">Property names; <c>[*]</c> for list items, <c>{*}</c> for map values.</param>
internal sealed record ValidationRule(
    IReadOnlyList<string> SchemaPath, string Rule, CelExpr Expression, string? Message, string? FieldPath, bool IsTransition)
{
    public const string AnyItem = "[*]";
    public const string AnyValue = "{*}";

    /// <summary>Compiles every rule of a schema; rules outside the subset go to <paramref name="unevaluated"/>.</summary>
    public static List<ValidationRule> CompileAll(
        JsonObject schema, string crd, string version, List<UnevaluatedValidationRule> unevaluated)
    {
        var rules = new List<ValidationRule>();
        Collect(schema, [], rules, unevaluated, crd, version);
        return rules;
    }

    /// <summary>Evaluates every rule against a new object (and the old one, for transition rules on update).</summary>
    public static IEnumerable<FieldError> Check(IReadOnlyList<ValidationRule> rules, JsonNode obj, JsonNode? old)
    {
        foreach (var rule in rules)
        {
            foreach (var (display, value, oldValue) in Locate(rule.SchemaPath, obj, old))
            {
                if (rule.IsTransition && oldValue is null)
                {
                    continue;
                }

                var variables = new Dictionary<string, object?>
                {
                    ["self"] = CelEvaluator.FromJson(value),
                    ["oldSelf"] = CelEvaluator.FromJson(oldValue),
                };
                string? failure;
                try
                {
                    failure = CelEvaluator.Evaluate(rule.Expression, variables) is true
                        ? null
                        : rule.Message ?? $"failed rule: {rule.Rule}";
                }
                catch (CelEvaluationException e)
                {
                    // As the API server words it: the rule's message when it has one, else the rule.
                    failure = $"{e.Message} evaluating rule: {rule.Message ?? rule.Rule}";
                }

                if (failure is not null)
                {
                    var field = rule.FieldPath is null
                        ? (display.Length == 0 ? "<nil>" : display)
                        : Join(display, rule.FieldPath.TrimStart('.'));
                    yield return FieldError.Invalid(field, value is JsonObject ? JsonValue.Create("object") : value, failure);
                }
            }
        }
    }

    /// <summary>
    /// Evaluates the rules against every schema <c>default</c>, as the API server does when a CRD is
    /// created or updated: each default is checked, as given (its inner defaults not filled in), by
    /// the rules at and below its place; a failure refuses the CRD at that <c>default</c>.
    /// </summary>
    public static IEnumerable<FieldError> CheckDefaults(IReadOnlyList<ValidationRule> rules, JsonObject schema)
    {
        foreach (var (path, display, value) in Defaults(schema, [], "spec.validation.openAPIV3Schema"))
        {
            var below = rules
                .Where(r => !r.IsTransition && r.SchemaPath.Count >= path.Count && r.SchemaPath.Take(path.Count).SequenceEqual(path))
                .Select(r => r with { SchemaPath = r.SchemaPath.Skip(path.Count).ToList() })
                .ToList();
            foreach (var error in Check(below, value, null))
            {
                yield return FieldError.Invalid($"{display}.default", error.Value, error.Detail);
            }
        }
    }

    private static IEnumerable<(List<string> Path, string Display, JsonNode Value)> Defaults(JsonObject schema, List<string> path, string display)
    {
        if (schema["default"] is { } value)
        {
            yield return (path, display, value);
        }

        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            if (child is JsonObject childSchema)
            {
                foreach (var hit in Defaults(childSchema, [.. path, name], $"{display}.properties[{name}]"))
                {
                    yield return hit;
                }
            }
        }

        if (schema["items"] is JsonObject items)
        {
            foreach (var hit in Defaults(items, [.. path, AnyItem], $"{display}.items"))
            {
                yield return hit;
            }
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            foreach (var hit in Defaults(additional, [.. path, AnyValue], $"{display}.additionalProperties"))
            {
                yield return hit;
            }
        }
    }

    private static void Collect(
        JsonObject schema, List<string> path, List<ValidationRule> rules, List<UnevaluatedValidationRule> unevaluated, string crd, string version)
    {
        if (schema["x-kubernetes-validations"] is JsonArray validations)
        {
            foreach (var validation in validations.OfType<JsonObject>())
            {
                var rule = validation.StringAt("rule") ?? string.Empty;
                var schemaPath = string.Join('.', path);
                try
                {
                    var expression = CelParser.Parse(rule);
                    var transition = CelParser.UsesOldSelf(expression);
                    if (transition && path.Contains(AnyItem))
                    {
                        throw new CelUnsupportedException("transition rules inside lists");
                    }

                    rules.Add(new ValidationRule(path.ToList(), rule, expression, validation.StringAt("message"), validation.StringAt("fieldPath"), transition));
                }
                catch (CelUnsupportedException e)
                {
                    unevaluated.Add(new UnevaluatedValidationRule(crd, version, schemaPath, rule, e.Message));
                }
            }
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                if (child is JsonObject childSchema)
                {
                    Collect(childSchema, [.. path, name], rules, unevaluated, crd, version);
                }
            }
        }

        if (schema["items"] is JsonObject items)
        {
            Collect(items, [.. path, AnyItem], rules, unevaluated, crd, version);
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            Collect(additional, [.. path, AnyValue], rules, unevaluated, crd, version);
        }
    }

    private static IEnumerable<(string Display, JsonNode? Value, JsonNode? Old)> Locate(
        IReadOnlyList<string> schemaPath, JsonNode? value, JsonNode? old, int depth = 0, string display = "")
    {
        if (depth == schemaPath.Count)
        {
            yield return (display, value, old);
            yield break;
        }

        var segment = schemaPath[depth];
        switch (segment)
        {
            case AnyItem when value is JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var hit in Locate(schemaPath, array[i], null, depth + 1, $"{display}[{i}]"))
                    {
                        yield return hit;
                    }
                }

                break;
            case AnyValue when value is JsonObject map:
                foreach (var (key, entry) in map)
                {
                    foreach (var hit in Locate(schemaPath, entry, (old as JsonObject)?[key], depth + 1, $"{display}[{key}]"))
                    {
                        yield return hit;
                    }
                }

                break;
            default:
                if (value is JsonObject obj && obj.TryGetPropertyValue(segment, out var child) && child is not null)
                {
                    foreach (var hit in Locate(schemaPath, child, (old as JsonObject)?[segment], depth + 1, Join(display, segment)))
                    {
                        yield return hit;
                    }
                }

                break;
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";
}
