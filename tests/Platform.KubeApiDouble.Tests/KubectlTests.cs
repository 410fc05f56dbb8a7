using k8s;

namespace Platform.KubeApiDouble.Tests;

public sealed class KubectlTests
{
    private const string DeploymentYaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: server
                image: registry.local/model-server:1.0
        """;

    [Fact]
    public async Task Kubectl_applies_server_side_gets_scales_and_deletes()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var kubectl = new Kubectl(cluster.Api.BaseUrl);
        var file = kubectl.WriteFile("deployment.yaml", DeploymentYaml);

        var apply = await kubectl.RunAsync("apply", "--server-side", "-f", file);
        var scale = await kubectl.RunAsync("scale", "deployment/web", "--replicas=3");
        var get = await kubectl.RunAsync("get", "deployments", "-n", "default");
        var delete = await kubectl.RunAsync("delete", "deployment", "web");

        Assert.True(apply.ExitCode == 0, apply.Output);
        Assert.Contains("deployment.apps/web serverside-applied", apply.Output);
        Assert.True(scale.ExitCode == 0, scale.Output);
        Assert.Matches(@"NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+web\s+0/3\s", get.Output);
        Assert.True(delete.ExitCode == 0, delete.Output);
        Assert.Contains(cluster.Api.Requests.All, r => r is { IsApply: true, FieldManager: "kubectl" });
        Assert.Empty(cluster.Api.Store.List(KubeResources.Deployments));
    }

    [Fact]
    public async Task Kubectl_serves_custom_resources_with_printer_columns_and_validation()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var kubectl = new Kubectl(cluster.Api.BaseUrl);
        var crd = kubectl.WriteFile("crd.json", WidgetCrd.Json);
        var good = kubectl.WriteFile("good.yaml", """
            apiVersion: test.platform.dev/v1alpha1
            kind: Widget
            metadata: {name: w1, namespace: default}
            spec: {model: org/m, replicas: 2}
            """);
        var bad = kubectl.WriteFile("bad.yaml", """
            apiVersion: test.platform.dev/v1alpha1
            kind: Widget
            metadata: {name: w2, namespace: default}
            spec: {model: org/m, minReplicas: 5, maxReplicas: 2}
            """);

        var crdApply = await kubectl.RunAsync("apply", "-f", crd);
        var goodApply = await kubectl.RunAsync("apply", "-f", good);
        var badApply = await kubectl.RunAsync("apply", "-f", bad);
        var get = await kubectl.RunAsync("get", "wd");

        Assert.True(crdApply.ExitCode == 0, crdApply.Output);
        Assert.True(goodApply.ExitCode == 0, goodApply.Output);
        Assert.NotEqual(0, badApply.ExitCode);
        Assert.Contains("The Widget \"w2\" is invalid: spec: Invalid value: \"object\": minReplicas must not exceed maxReplicas", badApply.Output);
        Assert.Matches(@"NAME\s+REPLICAS\s+w1\s+2", get.Output);
    }
}
