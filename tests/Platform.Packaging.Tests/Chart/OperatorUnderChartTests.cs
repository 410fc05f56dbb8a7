using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.KubeApiDouble;
using Platform.KubeApiDouble.Diagnostics;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Controller;
using Platform.Operator.Runtime;
using Platform.Operator.Hosting;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Chart;

/// <summary>
/// Runs the real operator with the configuration the chart gives it, against the Kubernetes API
/// double, and checks every request it made against the chart's RBAC and the list of calls.
/// </summary>
public sealed class OperatorUnderChartTests
{
    private const string ServiceNamespace = ChartVariants.WatchedNamespace;
    private const string ServiceName = "mlp";
    private static readonly GroupVersionResource InferenceServices = new(InferenceService.GroupName, InferenceService.Version, InferenceService.Plural);

    [ToolTheory(TestPrograms.Helm)]
    [InlineData("defaults")]
    [InlineData("two-replicas")]
    [InlineData("watch-namespace-two-replicas")]
    public async Task The_operator_configured_by_the_chart_reconciles_within_its_rbac(string variant)
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of(variant));
        await using var api = await KubeApiServer.StartAsync();
        api.Store.EnsureNamespace(RenderedChart.ReleaseNamespace);
        api.Store.EnsureNamespace(ServiceNamespace);
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = api.BaseUrl });
        var crd = await File.ReadAllTextAsync(Path.Combine(Helm.ChartDirectory, "crds", "serving.platform.dev_inferenceservices.yaml"));
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(crd));
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Service(), InferenceService.GroupName, InferenceService.Version, ServiceNamespace, InferenceService.Plural);
        var operatorStart = api.Requests.Mark();

        var app = OperatorHost.Build(
            [.. ChartConfiguration.AsArguments(chart), $"--Kubernetes:Host={api.BaseUrl}", "--urls=http://127.0.0.1:0"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        try
        {
            await app.Services.GetRequiredService<ControllerRunner>().Synced.WaitAsync(TimeSpan.FromSeconds(20));
            await api.WaitForObjectAsync(InferenceServices, ServiceNamespace, ServiceName, o => o["status"]?["observedGeneration"] is not null, TimeSpan.FromSeconds(20));
            await api.WaitForObjectAsync(KubeResources.Deployments, ServiceNamespace, ServiceName, timeout: TimeSpan.FromSeconds(20));
            await api.WaitForAsync(() => api.Store.List(KubeResources.Events, ServiceNamespace).Any(), TimeSpan.FromSeconds(20));
            if (ChartVariants.LeaderElectionOf(variant))
            {
                var lease = await api.WaitForObjectAsync(KubeResources.Leases, RenderedChart.ReleaseNamespace, OperatorApiCalls.LeaseName, timeout: TimeSpan.FromSeconds(20));
                Assert.Equal(ChartConfiguration.PodName, (string?)lease["spec"]?["holderIdentity"]);
            }

            using var http = new HttpClient { BaseAddress = new Uri(Address(app)) };
            var container = chart.OperatorContainer;
            foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
            {
                var path = (string)container[probe]!["httpGet"]!["path"]!;
                using var response = await http.GetAsync(path);
                Assert.True(response.IsSuccessStatusCode, $"{probe} {path} answered {(int)response.StatusCode}");
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        var requests = api.Requests.Since(operatorStart).Where(r => r.IsResourceRequest).ToList();
        var grants = RbacGrants.Of(chart, (string)chart.Single("Deployment")["spec"]!["template"]!["spec"]!["serviceAccountName"]!, RenderedChart.ReleaseNamespace);
        var denied = requests.SelectMany(Authorizations).Where(call => !grants.Allows(call.Call, call.Namespace)).Distinct().ToList();
        var unlisted = requests.SelectMany(Authorizations)
            .Where(a => !OperatorApiCalls.All.Any(c => c.Group == a.Call.Group && c.Resource == a.Call.Resource && c.Verb == a.Call.Verb))
            .Select(a => a.Call.ToString()).Distinct().ToList();

        Assert.Contains(requests, r => r.IsApply);
        Assert.True(denied.Count == 0, $"requests the chart's RBAC would refuse ({variant}):\n{string.Join("\n", denied)}");
        Assert.True(unlisted.Count == 0, $"requests missing from OperatorApiCalls.All:\n{string.Join("\n", unlisted)}");
    }

    /// <summary>
    /// What the RBAC authorizer checks for one request: its verb; for a server-side apply that
    /// created the object, create as well.
    /// </summary>
    private static IEnumerable<(ApiCall Call, string? Namespace)> Authorizations(RecordedRequest request)
    {
        var resource = request.Subresource is null ? request.Resource! : $"{request.Resource}/{request.Subresource}";
        var call = new ApiCall(request.Group ?? "", resource, request.Verb, CallScope.Watched, $"{request.Method} {request.Path}") { ResourceName = request.Name };
        yield return (call, request.Namespace);
        if (request.IsApply && request.StatusCode == 201)
        {
            yield return (call with { Verb = "create" }, request.Namespace);
        }
    }

    private static JsonObject Service() => new()
    {
        ["apiVersion"] = InferenceService.ApiVersionValue,
        ["kind"] = InferenceService.KindName,
        ["metadata"] = new JsonObject { ["name"] = ServiceName, ["namespace"] = ServiceNamespace },
        ["spec"] = new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["path"] = "mlp.onnx",
                ["source"] = new JsonObject { ["pvc"] = new JsonObject { ["claimName"] = "models" } },
            },
        },
    };

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
