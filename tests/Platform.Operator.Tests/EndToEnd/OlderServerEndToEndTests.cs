using k8s.Models;
using Platform.KubeApiDouble;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Tests.EndToEnd;

/// <summary>The operator on an API server older than its newest features: it leaves out what the server lacks and says what a spec needs.</summary>
public sealed class OlderServerEndToEndTests
{
    private static readonly KubeApiServerOptions V128 = new() { ServerVersion = "v1.28.4" };

    [Fact]
    public async Task Before_1_30_pods_get_no_pre_stop_sleep_and_drain_longer_instead()
    {
        await using var cluster = await OperatorCluster.StartAsync(V128);
        await cluster.CreateAsync(OperatorCluster.NewService("old"));

        var deployment = await cluster.WaitForAsync(KubeResources.Deployments, "old");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        Assert.Null(container["lifecycle"]);
        Assert.Contains(container["env"]!.AsArray(), e => (string?)e!["name"] == "Server__DrainTimeoutSeconds" && (string?)e["value"] == "35");
        Assert.Equal(40, (int)pod["terminationGracePeriodSeconds"]!);
    }

    [Fact]
    public async Task The_pre_stop_sleep_can_be_turned_off()
    {
        await using var cluster = await OperatorCluster.StartAsync("--Operator:PreStopSleepSeconds=0");
        await cluster.CreateAsync(OperatorCluster.NewService("nosleep"));

        var deployment = await cluster.WaitForAsync(KubeResources.Deployments, "nosleep");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.Null(pod["containers"]![0]!["lifecycle"]);
        Assert.Equal(35, (int)pod["terminationGracePeriodSeconds"]!);
    }

    [Fact]
    public async Task An_image_model_source_before_1_33_is_not_ready_naming_the_version_and_is_not_retried()
    {
        await using var cluster = await OperatorCluster.StartAsync(V128);
        await cluster.CreateAsync(OperatorCluster.NewService("imaged", s => s.Model.Source = new ModelSource { Image = new ImageModelSource { Reference = "registry.example.com/models/resnet:1" } }));
        await cluster.CreateAsync(OperatorCluster.NewService("claimed"));

        var service = await cluster.WaitForAsync(OperatorCluster.InferenceServices, "imaged", s => s["status"]?["observedGeneration"] is not null);
        Assert.Equal("False", OperatorCluster.Condition(service, ConditionTypes.Ready));
        Assert.Equal(ConditionReasons.KubernetesTooOld, OperatorCluster.Condition(service, ConditionTypes.Ready, "reason"));
        Assert.Contains("needs Kubernetes 1.33 or newer", OperatorCluster.Condition(service, ConditionTypes.Ready, "message"), StringComparison.Ordinal);
        Assert.Contains("v1.28.4", OperatorCluster.Condition(service, ConditionTypes.Ready, "message"), StringComparison.Ordinal);
        await cluster.Api.WaitForAsync(() => cluster.Events("imaged").Any(e => (string?)e["reason"] == ConditionReasons.KubernetesTooOld && (string?)e["type"] == "Warning"));
        await cluster.WaitForAsync(KubeResources.Deployments, "claimed");
        Assert.Null(cluster.Get(KubeResources.Deployments, "imaged"));
        Assert.DoesNotContain(cluster.Api.Requests.All, r => r.Resource == "deployments" && r.Name == "imaged");
    }
}
