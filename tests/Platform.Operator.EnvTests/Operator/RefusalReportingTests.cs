using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Platform.EnvTest;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.EnvTests.Support;

namespace Platform.Operator.EnvTests.Operator;

/// <summary>
/// What the real API server refuses shows in status and events, not only in the operator's log:
/// an apply refused by admission (a Service quota) is Degraded/ApplyFailed with the server's
/// message and clears once the apply succeeds; a model source the cluster cannot mount (image
/// volumes on the v1.28 assets) is Ready=False naming the Kubernetes version needed.
/// </summary>
[Collection(EnvTestCollection.Name)]
public sealed class RefusalReportingTests(ControlPlaneFixture fixture)
{
    private IKubernetes Admin => fixture.Admin;

    [OperatorEnvTestFact]
    public async Task An_apply_the_server_refuses_shows_as_Degraded_ApplyFailed_and_clears_once_it_succeeds()
    {
        await Crds.EnsureInstalledAsync(fixture.Plane);
        var release = await fixture.CreateNamespaceAsync("release-quota");
        var ns = await fixture.CreateNamespaceAsync("serving-quota");
        // A quota of no Services: the API server refuses the Service apply (403, exceeded quota).
        await Admin.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "no-services" },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["services"] = new("0") } },
        }, ns);
        var chart = await ChartOperator.InstallRbacAsync(fixture.Plane, release, ns);
        await using var op = await ChartOperator.StartAsync(fixture.Plane, chart, release, "platform-0");

        await Services.CreateAsync(Admin, ns, Services.New("mlp", """{"replicas":1,"autoscaling":{"mode":"Off"}}"""));

        await WaitForAsync(ns, "mlp", "Degraded=True ApplyFailed with the server's message", s =>
            s.Status?.Conditions?.Any(c => c.Type == ConditionTypes.Degraded && c.Status == "True" && c.Reason == "ApplyFailed" && c.Message.Contains("quota", StringComparison.Ordinal)) == true);
        Assert.Contains("Warning ApplyFailed", await Services.EventsAsync(Admin, ns, "mlp"), StringComparison.Ordinal);

        await Admin.CoreV1.DeleteNamespacedResourceQuotaAsync("no-services", ns);
        await WaitForAsync(ns, "mlp", "Degraded cleared once the Service applies", s =>
            s.Status?.Conditions?.Any(c => c.Type == ConditionTypes.Degraded && c.Status == "True") != true, TimeSpan.FromSeconds(90));
        await Admin.CoreV1.ReadNamespacedServiceAsync("mlp", ns);
    }

    [OperatorEnvTestFact]
    public async Task An_image_model_source_on_a_server_without_image_volumes_is_Ready_False_naming_the_version_needed()
    {
        await Crds.EnsureInstalledAsync(fixture.Plane);
        var release = await fixture.CreateNamespaceAsync("release-image");
        var ns = await fixture.CreateNamespaceAsync("serving-image");
        var chart = await ChartOperator.InstallRbacAsync(fixture.Plane, release, ns);
        await using var op = await ChartOperator.StartAsync(fixture.Plane, chart, release, "platform-0");
        var service = Services.New("img", """{"replicas":1,"autoscaling":{"mode":"Off"}}""");
        service["spec"]!["model"]!["source"] = JsonNode.Parse("""{"image":{"reference":"registry.example.com/models/mlp:1"}}""");

        await Services.CreateAsync(Admin, ns, service);

        // The envtest assets are v1.28: image volumes need 1.33.
        await WaitForAsync(ns, "img", "Ready=False naming Kubernetes 1.33", s =>
            s.Status?.Conditions?.Any(c => c.Type == ConditionTypes.Ready && c.Status == "False" && c.Message.Contains("1.33", StringComparison.Ordinal)) == true);
        Assert.Empty((await Admin.AppsV1.ListNamespacedDeploymentAsync(ns)).Items);
    }

    private async Task WaitForAsync(string ns, string name, string what, Func<InferenceService, bool> condition, TimeSpan? timeout = null)
    {
        InferenceService? last = null;
        await Eventually.HoldsAsync(what, async () => condition(last = await Services.GetAsync(Admin, ns, name)), timeout,
            seen: async () => $"{(last is null ? "nothing" : Services.Describe(last))}\nevents: {await Services.EventsAsync(Admin, ns, name)}");
    }
}
