namespace Platform.KubeApiDouble.Http;

internal enum ApiPathKind
{
    /// <summary>A resource collection, object or subresource.</summary>
    Resource,

    /// <summary><c>/api</c>: the core API versions.</summary>
    CoreVersions,

    /// <summary><c>/apis</c>: the API groups.</summary>
    Groups,

    /// <summary><c>/apis/{group}</c>.</summary>
    Group,

    /// <summary><c>/api/v1</c> or <c>/apis/{group}/{version}</c>: the resources of a group version.</summary>
    GroupVersion,

    /// <summary><c>/version</c>.</summary>
    Version,

    /// <summary><c>/healthz</c>, <c>/readyz</c>, <c>/livez</c>.</summary>
    Health,

    /// <summary><c>/openapi/v3</c>: the index of OpenAPI documents.</summary>
    OpenApiIndex,

    /// <summary><c>/openapi/v3/api/v1</c> or <c>/openapi/v3/apis/{group}/{version}</c>.</summary>
    OpenApiGroupVersion,

    Unknown,
}

/// <summary>What a request path addresses, parsed the way the API server's request-info resolver does.</summary>
internal sealed record ApiPath(
    ApiPathKind Kind,
    string Group = "",
    string Version = "",
    string? Namespace = null,
    string Resource = "",
    string? Name = null,
    string? Subresource = null)
{
    // Subresources of a namespace itself, which would otherwise read as "a resource in that namespace".
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    public static ApiPath Parse(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        switch (segments)
        {
            case ["api"]:
                return new ApiPath(ApiPathKind.CoreVersions);
            case ["apis"]:
                return new ApiPath(ApiPathKind.Groups);
            case ["version"]:
                return new ApiPath(ApiPathKind.Version);
            case ["healthz" or "readyz" or "livez", ..]:
                return new ApiPath(ApiPathKind.Health);
            case ["openapi", "v3"]:
                return new ApiPath(ApiPathKind.OpenApiIndex);
            case ["openapi", "v3", "api", var coreVersion]:
                return new ApiPath(ApiPathKind.OpenApiGroupVersion, "", coreVersion);
            case ["openapi", "v3", "apis", var group, var version]:
                return new ApiPath(ApiPathKind.OpenApiGroupVersion, group, version);
            case ["api", var version]:
                return new ApiPath(ApiPathKind.GroupVersion, "", version);
            case ["apis", var group]:
                return new ApiPath(ApiPathKind.Group, group);
            case ["apis", var group, var version]:
                return new ApiPath(ApiPathKind.GroupVersion, group, version);
            case ["api", var version, .. var rest]:
                return ParseResource("", version, rest);
            case ["apis", var group, var version, .. var rest]:
                return ParseResource(group, version, rest);
            default:
                return new ApiPath(ApiPathKind.Unknown);
        }
    }

    private static ApiPath ParseResource(string group, string version, string[] rest)
    {
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(rest.Length == 3 && NamespaceSubresources.Contains(rest[2])))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        return rest.Length switch
        {
            1 => new ApiPath(ApiPathKind.Resource, group, version, ns, rest[0]),
            2 => new ApiPath(ApiPathKind.Resource, group, version, ns, rest[0], rest[1]),
            3 => new ApiPath(ApiPathKind.Resource, group, version, ns, rest[0], rest[1], rest[2]),
            _ => new ApiPath(ApiPathKind.Unknown),
        };
    }
}
