using Platform.KubeApiDouble.Http;

namespace Platform.KubeApiDouble.Tests.Units;

public sealed class RoutingTests
{
    [Theory]
    [InlineData("/api/v1/namespaces", "", "v1", null, "namespaces", null, null)]
    [InlineData("/api/v1/namespaces/default", "", "v1", null, "namespaces", "default", null)]
    [InlineData("/api/v1/namespaces/default/status", "", "v1", null, "namespaces", "default", "status")]
    [InlineData("/api/v1/namespaces/default/pods", "", "v1", "default", "pods", null, null)]
    [InlineData("/apis/apps/v1/namespaces/ns/deployments/web/scale", "apps", "v1", "ns", "deployments", "web", "scale")]
    [InlineData("/apis/apps/v1/deployments", "apps", "v1", null, "deployments", null, null)]
    [InlineData("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/a.b", "apiextensions.k8s.io", "v1", null, "customresourcedefinitions", "a.b", null)]
    public void Resource_paths_parse_like_the_request_info_resolver(
        string path, string group, string version, string? ns, string resource, string? name, string? subresource) =>
        Assert.Equal(new ApiPath(ApiPathKind.Resource, group, version, ns, resource, name, subresource), ApiPath.Parse(path));

    [Theory]
    [InlineData("/api", nameof(ApiPathKind.CoreVersions))]
    [InlineData("/apis", nameof(ApiPathKind.Groups))]
    [InlineData("/apis/apps", nameof(ApiPathKind.Group))]
    [InlineData("/apis/apps/v1", nameof(ApiPathKind.GroupVersion))]
    [InlineData("/api/v1", nameof(ApiPathKind.GroupVersion))]
    [InlineData("/version", nameof(ApiPathKind.Version))]
    [InlineData("/openapi/v3", nameof(ApiPathKind.OpenApiIndex))]
    [InlineData("/openapi/v3/apis/apps/v1", nameof(ApiPathKind.OpenApiGroupVersion))]
    [InlineData("/apis/apps/v1/namespaces/ns/deployments/web/scale/extra", nameof(ApiPathKind.Unknown))]
    [InlineData("/metrics", nameof(ApiPathKind.Unknown))]
    public void Other_paths_are_classified(string path, string kind) =>
        Assert.Equal(kind, ApiPath.Parse(path).Kind.ToString());

    [Theory]
    [InlineData(59, "59s")]
    [InlineData(119, "119s")]
    [InlineData(200, "3m20s")]
    [InlineData(3600, "60m")]
    [InlineData(5 * 3600 + 60, "5h1m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(40 * 86400, "40d")]
    public void Ages_print_like_kubectl(int seconds, string expected) =>
        Assert.Equal(expected, TableRenderer.HumanDuration(TimeSpan.FromSeconds(seconds)));
}
