using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Registry;

namespace Platform.KubeApiDouble.Http;

/// <summary>The legacy (unaggregated) discovery documents clients such as kubectl read first.</summary>
internal static class DiscoveryDocuments
{
    private static readonly string[] CollectionVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = serverAddress,
        }),
    };

    public static JsonObject Groups(IEnumerable<ResourceDefinition> definitions) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(definitions
            .Where(d => d.Group.Length > 0)
            .GroupBy(d => d.Group)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (JsonNode?)Group(g.Key, g))
            .ToArray()),
    };

    public static JsonObject? Group(string group, IEnumerable<ResourceDefinition> definitions)
    {
        var versions = definitions.Where(d => d.Group == group).SelectMany(d => d.Versions).Distinct().ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        JsonObject Version(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Version(v)).ToArray()),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    public static JsonObject? Resources(string group, string version, IEnumerable<ResourceDefinition> definitions)
    {
        var served = definitions.Where(d => d.Group == group && d.Versions.Contains(version)).OrderBy(d => d.Plural, StringComparer.Ordinal).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var definition in served)
        {
            var resource = new JsonObject
            {
                ["name"] = definition.Plural,
                ["singularName"] = definition.Singular,
                ["namespaced"] = definition.Namespaced,
                ["kind"] = definition.Kind,
                ["verbs"] = Strings(CollectionVerbs),
            };
            if (definition.ShortNames.Count > 0)
            {
                resource["shortNames"] = Strings(definition.ShortNames);
            }

            if (definition.Categories.Count > 0)
            {
                resource["categories"] = Strings(definition.Categories);
            }

            resources.Add(resource);
            if (definition.HasStatusSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{definition.Plural}/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = definition.Namespaced,
                    ["kind"] = definition.Kind,
                    ["verbs"] = Strings(SubresourceVerbs),
                });
            }

            if (definition.Scale is not null)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{definition.Plural}/scale",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = definition.Namespaced,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = Strings(SubresourceVerbs),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>The <c>/version</c> document of a server whose gitVersion is <paramref name="gitVersion"/> ("v1.28.4").</summary>
    public static JsonObject Version(string gitVersion)
    {
        var parts = gitVersion.TrimStart('v').Split('.', '-', '+');
        return new JsonObject
        {
            ["major"] = parts[0],
            ["minor"] = parts.Length > 1 ? parts[1] : "0",
            ["gitVersion"] = gitVersion,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2025-01-01T00:00:00Z",
            ["goVersion"] = "go1.23",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
