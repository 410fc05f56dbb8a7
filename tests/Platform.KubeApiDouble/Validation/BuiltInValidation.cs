using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Selectors;

namespace Platform.KubeApiDouble.Validation;

/// <summary>
/// The validation of object metadata and of the built-in kinds a controller creates, for the
/// mistakes a controller can make: bad names and labels, a Deployment whose selector does not
/// match its template, missing container fields, Service ports, PDB budgets. Not exhaustive.
/// </summary>
internal static partial class BuiltInValidation
{
    private const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private const string Dns1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    /// <summary>The checks every object gets: its name and labels.</summary>
    public static List<FieldError> ValidateMetadata(JsonObject obj)
    {
        var errors = new List<FieldError>();
        ValidateMetadata(kind: string.Empty, obj.ObjectAt("metadata") ?? new JsonObject(), errors);
        return errors;
    }

    public static List<FieldError> Validate(string group, string kind, JsonObject obj, JsonObject? old)
    {
        var errors = new List<FieldError>();
        ValidateMetadata(kind, obj.ObjectAt("metadata") ?? new JsonObject(), errors);
        switch (group, kind)
        {
            case ("apps", "Deployment"):
                ValidateDeployment(obj, old, errors);
                break;
            case ("", "Service"):
                ValidateService(obj.ObjectAt("spec") ?? new JsonObject(), errors);
                break;
            case ("policy", "PodDisruptionBudget"):
                ValidatePodDisruptionBudget(obj.ObjectAt("spec") ?? new JsonObject(), errors);
                break;
            case ("", "Pod"):
                ValidatePodSpec(obj.ObjectAt("spec"), "spec", errors);
                break;
        }

        return errors;
    }

    private static void ValidateMetadata(string kind, JsonObject metadata, List<FieldError> errors)
    {
        var name = metadata.StringAt("name") ?? string.Empty;
        var (pattern, message, maxLength) = kind switch
        {
            "Namespace" => (Dns1123Label(), Dns1123LabelMessage, 63),
            "Service" => (Dns1035Label(), Dns1035LabelMessage, 63),
            _ => (Dns1123Subdomain(), Dns1123SubdomainMessage, 253),
        };
        if (name.Length > maxLength)
        {
            errors.Add(FieldError.Invalid("metadata.name", JsonValue.Create(name), $"must be no more than {maxLength} characters"));
        }
        else if (!pattern.IsMatch(name))
        {
            errors.Add(FieldError.Invalid("metadata.name", JsonValue.Create(name), message));
        }

        foreach (var (key, value) in metadata.ObjectAt("labels") ?? new JsonObject())
        {
            var text = value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
            if (text is null || text.Length > 63 || !LabelValue().IsMatch(text))
            {
                errors.Add(FieldError.Invalid("metadata.labels", value, LabelValueMessage));
            }

            var keyName = key[(key.IndexOf('/') + 1)..];
            if (keyName.Length is 0 or > 63 || !QualifiedName().IsMatch(keyName))
            {
                errors.Add(FieldError.Invalid("metadata.labels", JsonValue.Create(key), "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }
        }
    }

    private static void ValidateDeployment(JsonObject obj, JsonObject? old, List<FieldError> errors)
    {
        var spec = obj.ObjectAt("spec") ?? new JsonObject();
        if (spec["replicas"].AsLong() is < 0)
        {
            errors.Add(FieldError.Invalid("spec.replicas", spec["replicas"], "must be greater than or equal to 0"));
        }

        var selector = spec.ObjectAt("selector");
        var templateLabels = spec.ObjectAt("template")?.ObjectAt("metadata")?.ObjectAt("labels");
        if (selector is null)
        {
            errors.Add(FieldError.Required("spec.selector"));
        }
        else if (selector.ObjectAt("matchLabels") is not { Count: > 0 } && selector.ArrayAt("matchExpressions") is not { Count: > 0 })
        {
            errors.Add(FieldError.Invalid("spec.selector", selector, "empty selector is invalid for deployment"));
        }
        else
        {
            try
            {
                var labels = LabelSelector.LabelsOf(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = templateLabels?.DeepClone() } });
                if (!LabelSelector.FromObject(selector).Matches(labels))
                {
                    errors.Add(FieldError.Invalid("spec.template.metadata.labels", templateLabels, "`selector` does not match template `labels`"));
                }
            }
            catch (FormatException e)
            {
                errors.Add(FieldError.Invalid("spec.selector", selector, e.Message));
            }
        }

        if (old?.ObjectAt("spec")?.ObjectAt("selector") is { } oldSelector && !JsonNodeExtensions.JsonEquals(oldSelector, selector))
        {
            errors.Add(FieldError.Invalid("spec.selector", selector, "field is immutable"));
        }

        ValidatePodSpec(spec.ObjectAt("template")?.ObjectAt("spec"), "spec.template.spec", errors);
    }

    private static void ValidatePodSpec(JsonObject? podSpec, string path, List<FieldError> errors)
    {
        var containers = podSpec?.ArrayAt("containers");
        if (containers is null || containers.Count == 0)
        {
            errors.Add(FieldError.Required($"{path}.containers"));
            return;
        }

        var names = new HashSet<string>();
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i] as JsonObject ?? new JsonObject();
            var name = container.StringAt("name");
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(FieldError.Required($"{path}.containers[{i}].name"));
            }
            else if (!names.Add(name))
            {
                errors.Add(new FieldError(FieldErrorType.Duplicate, $"{path}.containers[{i}].name", string.Empty, JsonValue.Create(name)));
            }

            if (string.IsNullOrEmpty(container.StringAt("image")))
            {
                errors.Add(FieldError.Required($"{path}.containers[{i}].image"));
            }

            var ports = container.ArrayAt("ports")?.OfType<JsonObject>().ToList() ?? [];
            for (var p = 0; p < ports.Count; p++)
            {
                if (ports[p]["containerPort"].AsLong() is not (>= 1 and <= 65535))
                {
                    errors.Add(FieldError.Invalid($"{path}.containers[{i}].ports[{p}].containerPort", ports[p]["containerPort"], "must be between 1 and 65535, inclusive"));
                }
            }
        }
    }

    private static void ValidateService(JsonObject spec, List<FieldError> errors)
    {
        var ports = spec.ArrayAt("ports")?.OfType<JsonObject>().ToList() ?? [];
        if (ports.Count == 0 && spec.StringAt("clusterIP") != "None" && spec.StringAt("type") != "ExternalName")
        {
            errors.Add(FieldError.Required("spec.ports"));
        }

        var names = new HashSet<string>();
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i]["port"].AsLong() is not (>= 1 and <= 65535))
            {
                errors.Add(FieldError.Invalid($"spec.ports[{i}].port", ports[i]["port"], "must be between 1 and 65535, inclusive"));
            }

            var name = ports[i].StringAt("name") ?? string.Empty;
            if (ports.Count > 1 && name.Length == 0)
            {
                errors.Add(FieldError.Required($"spec.ports[{i}].name"));
            }
            else if (name.Length > 0 && !names.Add(name))
            {
                errors.Add(new FieldError(FieldErrorType.Duplicate, $"spec.ports[{i}].name", string.Empty, JsonValue.Create(name)));
            }
        }
    }

    private static void ValidatePodDisruptionBudget(JsonObject spec, List<FieldError> errors)
    {
        if (spec.ContainsKey("minAvailable") && spec.ContainsKey("maxUnavailable"))
        {
            errors.Add(FieldError.Invalid("spec", JsonValue.Create("object"), "minAvailable and maxUnavailable cannot be both set"));
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex(@"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();
}
