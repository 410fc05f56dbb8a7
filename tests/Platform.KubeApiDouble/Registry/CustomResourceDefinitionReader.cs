using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Storage;
using Platform.KubeApiDouble.Validation;

namespace Platform.KubeApiDouble.Registry;

/// <summary>Reads a <c>CustomResourceDefinition</c> (apiextensions.k8s.io/v1) into the definition of the resource it serves.</summary>
internal static class CustomResourceDefinitionReader
{
    private static readonly ResourceDefinition CrdDefinition =
        BuiltInResources.All.Single(d => d.Plural == "customresourcedefinitions");

    /// <exception cref="KubeApiException">422 Invalid when the CRD is malformed.</exception>
    public static ResourceDefinition Read(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var name = crd.ObjectAt("metadata")?.StringAt("name") ?? string.Empty;
        var spec = crd.ObjectAt("spec") ?? new JsonObject();
        var names = spec.ObjectAt("names") ?? new JsonObject();
        var group = spec.StringAt("group");
        var plural = names.StringAt("plural");
        var kind = names.StringAt("kind");
        var scope = spec.StringAt("scope");

        Require(errors, group, "spec.group");
        Require(errors, plural, "spec.names.plural");
        Require(errors, kind, "spec.names.kind");
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(new FieldError(FieldErrorType.NotSupported, "spec.scope", "\"Cluster\", \"Namespaced\"", JsonValue.Create(scope)));
        }

        if (group is not null && plural is not null && name != $"{plural}.{group}")
        {
            errors.Add(FieldError.Invalid("metadata.name", JsonValue.Create(name), "must be spec.names.plural+\".\"+spec.group"));
        }

        var versions = spec.ArrayAt("versions")?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0)
        {
            errors.Add(FieldError.Required("spec.versions", "must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => v["storage"]?.GetValue<bool>() == true) != 1)
        {
            errors.Add(FieldError.Invalid("spec.versions", null, "must have exactly one version marked as storage version"));
        }

        var customVersions = new Dictionary<string, CustomResourceVersion>();
        for (var i = 0; i < versions.Count; i++)
        {
            var version = versions[i];
            var versionName = version.StringAt("name");
            if (versionName is null)
            {
                errors.Add(FieldError.Required($"spec.versions[{i}].name"));
                continue;
            }

            if (version["served"]?.GetValue<bool>() != true)
            {
                continue;
            }

            CustomResourceSchema? schema = null;
            if (version.ObjectAt("schema")?.ObjectAt("openAPIV3Schema") is { } openApi)
            {
                try
                {
                    schema = CustomResourceSchema.Compile(openApi, name, versionName);
                    errors.AddRange(schema.DefaultErrors);
                }
                catch (FormatException e)
                {
                    errors.Add(FieldError.Invalid($"spec.versions[{i}].schema.openAPIV3Schema", null, e.Message));
                }
            }
            else
            {
                errors.Add(FieldError.Required($"spec.versions[{i}].schema.openAPIV3Schema", "schemas are required"));
            }

            customVersions[versionName] = new CustomResourceVersion(versionName, schema, PrinterColumns(version));
        }

        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(CrdDefinition, name, errors);
        }

        // The storage version (or the first served one) decides subresources and is preferred in discovery.
        var preferred = versions.FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true && v["served"]?.GetValue<bool>() == true)
            ?? versions.First(v => v["served"]?.GetValue<bool>() == true);
        var served = versions
            .Where(v => v["served"]?.GetValue<bool>() == true)
            .OrderBy(v => v == preferred ? 0 : 1)
            .Select(v => v.StringAt("name")!)
            .ToList();
        var subresources = preferred.ObjectAt("subresources");
        return new ResourceDefinition
        {
            Group = group!,
            Versions = served,
            Kind = kind!,
            Plural = plural!,
            Singular = names.StringAt("singular") ?? kind!.ToLowerInvariant(),
            Namespaced = scope == "Namespaced",
            ShortNames = Strings(names.ArrayAt("shortNames")),
            Categories = Strings(names.ArrayAt("categories")),
            HasStatusSubresource = subresources?.ContainsKey("status") == true,
            Scale = ReadScale(subresources?.ObjectAt("scale"), name),
            TracksGeneration = true,
            ReturnsDeletedObject = true,
            SelectableFields = preferred.ArrayAt("selectableFields")?.OfType<JsonObject>()
                .Select(f => (f.StringAt("jsonPath") ?? string.Empty).TrimStart('.'))
                .Where(f => f.Length > 0)
                .ToList() ?? [],
            CustomVersions = customVersions,
            DefinedBy = name,
        };
    }

    /// <summary>The status the server reports for an accepted CRD.</summary>
    public static JsonObject AcceptedStatus(JsonObject crd, string now)
    {
        var spec = crd.ObjectAt("spec") ?? new JsonObject();
        var names = (spec.ObjectAt("names") ?? new JsonObject()).CloneObject();
        names["singular"] ??= names.StringAt("kind")?.ToLowerInvariant();
        names["listKind"] ??= names.StringAt("kind") + "List";
        var storage = spec.ArrayAt("versions")?.OfType<JsonObject>()
            .Where(v => v["storage"]?.GetValue<bool>() == true)
            .Select(v => (JsonNode?)v.StringAt("name"))
            .ToArray() ?? [];
        return new JsonObject
        {
            ["acceptedNames"] = names,
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["storedVersions"] = new JsonArray(storage),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static ScaleSubresource? ReadScale(JsonObject? scale, string crdName)
    {
        if (scale is null)
        {
            return null;
        }

        var spec = scale.StringAt("specReplicasPath");
        var status = scale.StringAt("statusReplicasPath");
        if (spec is null || status is null)
        {
            throw ApiErrors.Invalid(CrdDefinition, crdName, [FieldError.Required("spec.versions[].subresources.scale.specReplicasPath / statusReplicasPath")]);
        }

        try
        {
            return new ScaleSubresource(
                DottedPath.Parse(spec),
                DottedPath.Parse(status),
                scale.StringAt("labelSelectorPath") is { } selector ? DottedPath.Parse(selector) : null);
        }
        catch (FormatException e)
        {
            throw ApiErrors.Invalid(CrdDefinition, crdName, [FieldError.Invalid("spec.versions[].subresources.scale", null, e.Message)]);
        }
    }

    private static List<PrinterColumn> PrinterColumns(JsonObject version) =>
        version.ArrayAt("additionalPrinterColumns")?.OfType<JsonObject>()
            .Select(c => new PrinterColumn(
                c.StringAt("name") ?? string.Empty,
                c.StringAt("type") ?? "string",
                c.StringAt("jsonPath") ?? string.Empty,
                (int)(c.LongAt("priority") ?? 0),
                c.StringAt("description")))
            .ToList() ?? [];

    private static List<string> Strings(JsonArray? array) =>
        array?.Select(n => n?.GetValue<string>()).OfType<string>().ToList() ?? [];

    private static void Require(List<FieldError> errors, string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(FieldError.Required(field));
        }
    }
}
