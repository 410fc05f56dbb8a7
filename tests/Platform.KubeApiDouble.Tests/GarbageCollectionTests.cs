using k8s;
using k8s.Models;

namespace Platform.KubeApiDouble.Tests;

public sealed class GarbageCollectionTests
{
    private static V1OwnerReference OwnedBy(IKubernetesObject<V1ObjectMeta> owner) => new()
    {
        ApiVersion = owner.ApiVersion,
        Kind = owner.Kind,
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    private static V1ConfigMap ConfigMap(string name, params V1OwnerReference[] owners) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, OwnerReferences = owners },
    };

    [Fact]
    public async Task Deleting_an_owner_deletes_its_dependents_recursively()
    {
        await using var cluster = await TestCluster.StartAsync();
        var owner = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");
        var child = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("child", OwnedBy(owner)), "default");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("grandchild", OwnedBy(child)), "default");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("unrelated"), "default");

        var deleted = await cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "default", propagationPolicy: "Background");

        Assert.Equal(("Success", "web", owner.Metadata.Uid), (deleted.Status, deleted.Details.Name, deleted.Details.Uid));
        var left = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        Assert.Equal(["unrelated"], left.Items.Select(m => m.Metadata.Name));
    }

    [Fact]
    public async Task A_dependent_with_another_live_owner_survives_and_loses_the_dangling_reference()
    {
        await using var cluster = await TestCluster.StartAsync();
        var first = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("one"), "default");
        var second = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("two"), "default");
        var firstRef = OwnedBy(first);
        var secondRef = OwnedBy(second);
        secondRef.Controller = false;
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("shared", firstRef, secondRef), "default");

        await cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync("one", "default");

        var shared = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("shared", "default");
        Assert.Equal(["two"], shared.Metadata.OwnerReferences.Select(r => r.Name));
    }

    [Fact]
    public async Task Orphan_propagation_keeps_dependents_without_the_reference()
    {
        await using var cluster = await TestCluster.StartAsync();
        var owner = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("child", OwnedBy(owner)), "default");

        await cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "default", propagationPolicy: "Orphan");

        var child = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("child", "default");
        Assert.Null(child.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task Dependents_are_gone_from_watches_as_DELETED_events()
    {
        await using var cluster = await TestCluster.StartAsync();
        var owner = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("child", OwnedBy(owner)), "default");
        await using var watch = WatchProbe<V1ConfigMap>.Start((onError, stop) => cluster.Client.CoreV1.WatchListNamespacedConfigMapAsync(
            "default", resourceVersion: cluster.Api.Store.ResourceVersion.ToString(), onError: onError, cancellationToken: stop));
        await cluster.Api.WaitForAsync(() => cluster.Api.Store.OpenWatches(KubeResources.ConfigMaps) == 1);

        await cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "default");

        var gone = await watch.NextAsync();
        Assert.Equal((WatchEventType.Deleted, "child"), (gone.Type, gone.Object.Metadata.Name));
    }

    [Fact]
    public async Task Finalizers_hold_an_object_until_they_are_removed()
    {
        await using var cluster = await TestCluster.StartAsync();
        var map = ConfigMap("guarded");
        map.Metadata.Finalizers = ["platform.dev/cleanup"];
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(map, "default");

        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("guarded", "default");
        var terminating = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("guarded", "default");
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "guarded", "default");

        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Null(cluster.Api.Store.Get(KubeResources.ConfigMaps, "default", "guarded"));
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_what_is_in_it()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.Store.EnsureNamespace("team-a");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("inside"), "team-a");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("outside"), "default");

        await cluster.Client.CoreV1.DeleteNamespaceAsync("team-a");

        var all = await cluster.Client.CoreV1.ListConfigMapForAllNamespacesAsync();
        Assert.Equal(["outside"], all.Items.Select(m => m.Metadata.Name));
    }
}
