using System.Reflection;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Platform.Operator.Api.Schema;

/// <summary>
/// Builds the apiextensions.k8s.io/v1 CustomResourceDefinition of a resource type from its
/// attributes: names and scope, one served and stored version, the structural schema,
/// subresources and printer columns.
/// </summary>
public static class CrdBuilder
{
    /// <summary>The CRD as a JSON tree (keys in a fixed order, schema keys sorted).</summary>
    public static JsonObject Build(Type resourceType)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        var entity = resourceType.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{resourceType.Name} has no [KubernetesEntity] attribute.", nameof(resourceType));
        var names = resourceType.GetCustomAttribute<ResourceNamesAttribute>()
            ?? throw new ArgumentException($"{resourceType.Name} has no [ResourceNames] attribute.", nameof(resourceType));

        var schema = OpenApiSchemaGenerator.ForType(resourceType);
        var version = new JsonObject
        {
            ["name"] = entity.ApiVersion,
            ["served"] = true,
            ["storage"] = true,
        };
        var columns = PrinterColumns(resourceType);
        if (columns.Count > 0)
        {
            version["additionalPrinterColumns"] = columns;
        }
        version["schema"] = new JsonObject { ["openAPIV3Schema"] = SortKeys(schema) };
        var subresources = Subresources(resourceType);
        if (subresources.Count > 0)
        {
            version["subresources"] = subresources;
        }

        var namesNode = new JsonObject
        {
            ["kind"] = entity.Kind,
            ["listKind"] = entity.Kind + "List",
            ["plural"] = entity.PluralName,
            ["singular"] = names.Singular,
        };
        if (names.ShortNames.Count > 0)
        {
            namesNode["shortNames"] = new JsonArray([.. names.ShortNames.Select(n => JsonValue.Create(n))]);
        }
        if (names.Categories.Length > 0)
        {
            namesNode["categories"] = new JsonArray([.. names.Categories.Select(n => JsonValue.Create(n))]);
        }

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = $"{entity.PluralName}.{entity.Group}" },
            ["spec"] = new JsonObject
            {
                ["group"] = entity.Group,
                ["names"] = namesNode,
                ["scope"] = names.Namespaced ? "Namespaced" : "Cluster",
                ["versions"] = new JsonArray(version),
            },
        };
    }

    /// <summary>The CRD as the YAML text stored in crds/.</summary>
    public static string BuildYaml(Type resourceType, string header) => CrdYamlWriter.Write(Build(resourceType), header);

    /// <summary>File name in crds/, as controller-gen names it: group_plural.yaml.</summary>
    public static string FileName(Type resourceType)
    {
        var entity = resourceType.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{resourceType.Name} has no [KubernetesEntity] attribute.", nameof(resourceType));
        return $"{entity.Group}_{entity.PluralName}.yaml";
    }

    private static JsonArray PrinterColumns(Type resourceType)
    {
        var columns = new JsonArray();
        foreach (var column in resourceType.GetCustomAttributes<PrinterColumnAttribute>().OrderBy(c => c.Order))
        {
            var node = new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["jsonPath"] = column.JsonPath,
            };
            if (column.Description is not null)
            {
                node["description"] = column.Description;
            }
            if (column.Priority != 0)
            {
                node["priority"] = column.Priority;
            }
            columns.Add(node);
        }
        return columns;
    }

    private static JsonObject Subresources(Type resourceType)
    {
        var subresources = new JsonObject();
        if (resourceType.GetCustomAttribute<ScaleSubresourceAttribute>() is { } scale)
        {
            subresources["scale"] = new JsonObject
            {
                ["specReplicasPath"] = scale.SpecReplicasPath,
                ["statusReplicasPath"] = scale.StatusReplicasPath,
                ["labelSelectorPath"] = scale.LabelSelectorPath,
            };
        }
        if (resourceType.GetCustomAttribute<StatusSubresourceAttribute>() is not null)
        {
            subresources["status"] = new JsonObject();
        }
        return subresources;
    }

    /// <summary>A copy with every object's keys in ordinal order, so output never depends on reflection order.</summary>
    private static JsonNode? SortKeys(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, SortKeys(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(SortKeys)]),
        null => null,
        _ => node.DeepClone(),
    };
}
