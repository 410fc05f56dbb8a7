using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Platform.KubeApiDouble.Tests;

/// <summary>A started API double with a KubernetesClient pointed at it, unchanged.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private TestCluster(KubeApiServer api)
    {
        Api = api;
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = api.BaseUrl });
    }

    public KubeApiServer Api { get; }

    public Kubernetes Client { get; }

    public static async Task<TestCluster> StartAsync(KubeApiServerOptions? options = null) =>
        new(await KubeApiServer.StartAsync(options));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
    }

    /// <summary>Runs a call expected to fail and returns the HTTP status code and the <c>Status</c> the server sent.</summary>
    public static async Task<(int Code, V1Status Status)> FailureOf(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        return ((int)error.Response.StatusCode, status);
    }

    public static V1Deployment Deployment(string name, int replicas = 1, string image = "registry.local/model-server:1.0") => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container { Name = "server", Image = image, Ports = [new V1ContainerPort { ContainerPort = 8080, Name = "http" }] }],
                },
            },
        },
    };
}
