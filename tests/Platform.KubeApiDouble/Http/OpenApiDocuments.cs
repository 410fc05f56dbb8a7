using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Registry;

namespace Platform.KubeApiDouble.Http;

/// <summary>
/// A minimal OpenAPI v3 surface: the index of group versions and, per group version, the object
/// paths with their PATCH operation tagged with the kind and the <c>fieldValidation</c> parameter.
/// That is what kubectl reads to learn that the server validates fields itself; no schemas are served.
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject Index(IEnumerable<ResourceDefinition> definitions)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in GroupVersions(definitions))
        {
            var path = PathOf(group, version);
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={Hash(definitions, group, version)}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(IEnumerable<ResourceDefinition> definitions, string group, string version)
    {
        var served = definitions.Where(d => d.Group == group && d.Versions.Contains(version)).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var definition in served)
        {
            var prefix = "/" + PathOf(group, version) + (definition.Namespaced ? "/namespaces/{namespace}" : string.Empty);
            paths[$"{prefix}/{definition.Plural}/{{name}}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{definition.Kind}",
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = definition.Kind },
                    ["parameters"] = new JsonArray(
                        Parameter("fieldValidation"), Parameter("fieldManager"), Parameter("dryRun"), Parameter("force")),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject Parameter(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static IEnumerable<(string Group, string Version)> GroupVersions(IEnumerable<ResourceDefinition> definitions) =>
        definitions.SelectMany(d => d.Versions.Select(v => (d.Group, v))).Distinct().OrderBy(gv => PathOf(gv.Group, gv.v), StringComparer.Ordinal);

    private static string PathOf(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    // Changes whenever the served kinds of the group version change, so clients refetch.
    private static string Hash(IEnumerable<ResourceDefinition> definitions, string group, string version)
    {
        var kinds = string.Join(",", definitions.Where(d => d.Group == group && d.Versions.Contains(version)).Select(d => d.Kind).Order(StringComparer.Ordinal));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{group}/{version}:{kinds}")))[..16];
    }
}
