using k8s;
using k8s.Models;

namespace Platform.KubeApiDouble.Tests;

public sealed class WaitingAndCountingTests
{
    [Fact]
    public async Task The_request_log_counts_by_verb_and_resource_since_a_mark()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");
        var mark = cluster.Api.Requests.Mark();

        await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        await cluster.Client.AppsV1.ListNamespacedDeploymentAsync("default");
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"replicas":2}}""", V1Patch.PatchType.MergePatch), "web", "default", fieldManager: "operator");
        await TestCluster.FailureOf(() => cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("missing", "default"));

        var since = cluster.Api.Requests.Since(mark);
        Assert.Equal(["get", "list", "patch", "get"], since.Select(r => r.Verb));
        Assert.Equal([200, 200, 200, 404], since.Select(r => r.StatusCode));
        Assert.Equal(2, cluster.Api.Requests.CountWrites("deployments"));
        Assert.Equal("operator", since[2].FieldManager);
        Assert.Equal(("apps", "v1", "default", "web"), (since[0].Group, since[0].Version, since[0].Namespace, since[0].Name));
    }

    [Fact]
    public async Task Waiting_completes_on_the_write_that_makes_the_condition_true()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web", replicas: 2), "default");

        var ready = cluster.Api.WaitForObjectAsync(KubeResources.Deployments, "default", "web",
            d => d["status"]?["readyReplicas"]?.GetValue<int>() == 2);
        Assert.False(ready.IsCompleted);
        cluster.Api.Store.Mutate(KubeResources.Deployments, "default", "web", d => d["status"] = new System.Text.Json.Nodes.JsonObject { ["readyReplicas"] = 2 });

        var deployment = await ready;
        Assert.Equal(1, deployment["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task Waiting_times_out_with_a_clear_error()
    {
        await using var cluster = await TestCluster.StartAsync();

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            cluster.Api.WaitForAsync(() => cluster.Api.Store.Get(KubeResources.ConfigMaps, "default", "never") is not null, TimeSpan.FromMilliseconds(50)));

        Assert.Contains("did not hold within 0.05 s", error.Message);
    }

    [Fact]
    public async Task Store_writes_reach_watches_but_not_the_request_log()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var watch = WatchProbe<V1ConfigMap>.Start((onError, stop) => cluster.Client.CoreV1.WatchListNamespacedConfigMapAsync(
            "default", resourceVersion: cluster.Api.Store.ResourceVersion.ToString(), onError: onError, cancellationToken: stop));
        await cluster.Api.WaitForAsync(() => cluster.Api.Store.OpenWatches(KubeResources.ConfigMaps) == 1);
        var before = cluster.Api.Requests.Count();

        cluster.Api.Store.Create(new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "seeded", ["namespace"] = "default" },
        });

        Assert.Equal("seeded", (await watch.NextAsync()).Object.Metadata.Name);
        Assert.Equal(before, cluster.Api.Requests.Count());
    }
}
