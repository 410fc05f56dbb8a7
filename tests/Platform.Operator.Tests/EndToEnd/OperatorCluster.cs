using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.KubeApiDouble;
using Platform.Operator.Api.Schema;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Controller;
using Platform.Operator.Runtime;
using Platform.Operator.Hosting;

namespace Platform.Operator.Tests.EndToEnd;

/// <summary>The Kubernetes API double with the CRD installed, and the real operator process code running against it.</summary>
public sealed class OperatorCluster : IAsyncDisposable
{
    public static readonly GroupVersionResource InferenceServices = new(InferenceService.GroupName, InferenceService.Version, InferenceService.Plural);
    private readonly List<WebApplication> _operators = [];

    private OperatorCluster(KubeApiServer api)
    {
        Api = api;
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = api.BaseUrl });
    }

    public KubeApiServer Api { get; }
    public IKubernetes Client { get; }
    public IReadOnlyList<WebApplication> Operators => _operators;

    public static Task<OperatorCluster> StartAsync(params string[] operatorArgs) => StartAsync(new KubeApiServerOptions(), operatorArgs);

    /// <summary>The cluster with an API double of these options (e.g. an older <see cref="KubeApiServerOptions.ServerVersion"/>).</summary>
    public static async Task<OperatorCluster> StartAsync(KubeApiServerOptions apiOptions, params string[] operatorArgs)
    {
        var cluster = new OperatorCluster(await KubeApiServer.StartAsync(apiOptions));
        foreach (var (_, yaml) in CrdFiles.Generate())
        {
            await cluster.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml));
        }
        cluster.Api.Store.EnsureNamespace("ml");
        if (operatorArgs is not ["--no-operator"]) await cluster.StartOperatorAsync(operatorArgs);
        return cluster;
    }

    public async Task<WebApplication> StartOperatorAsync(params string[] args)
    {
        var app = OperatorHost.Build(
            [$"--Kubernetes:Host={Api.BaseUrl}", "--urls=http://127.0.0.1:0", "--Operator:DefaultImage=registry.example.com/inference-pod:1", .. args],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        _operators.Add(app);
        return app;
    }

    public static ControllerRunner Runner(WebApplication app) => app.Services.GetRequiredService<ControllerRunner>();

    public async Task StopOperatorAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
        _operators.Remove(app);
    }

    public static InferenceService NewService(string name, Action<InferenceServiceSpec>? change = null)
    {
        var service = new InferenceService
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ml" },
            Spec = new InferenceServiceSpec
            {
                Model = new ModelSpec { Path = "model.onnx", Source = new ModelSource { Pvc = new PvcModelSource { ClaimName = "models" } } },
            },
        };
        change?.Invoke(service.Spec);
        return service;
    }

    public Task CreateAsync(InferenceService service) =>
        Client.CustomObjects.CreateNamespacedCustomObjectAsync(service, InferenceService.GroupName, InferenceService.Version, "ml", InferenceService.Plural);

    public JsonObject? Get(GroupVersionResource resource, string name) => Api.Store.Get(resource, "ml", name);

    public Task<JsonObject> WaitForAsync(GroupVersionResource resource, string name, Func<JsonObject, bool>? condition = null) =>
        Api.WaitForObjectAsync(resource, "ml", name, condition, TimeSpan.FromSeconds(20));

    public static string? Condition(JsonObject service, string type, string field = "status") =>
        service["status"]?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c!["type"] == type)?[field]?.GetValue<string>();

    public static long? Long(JsonNode? node) => node is null ? null : long.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<JsonObject> Events(string name) =>
        Api.Store.List(KubeResources.Events, "ml").Where(e => (string?)e["involvedObject"]?["name"] == name).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _operators.ToList()) await StopOperatorAsync(app);
        Client.Dispose();
        await Api.DisposeAsync();
    }
}
