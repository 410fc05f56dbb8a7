using k8s;
using k8s.Models;

namespace Platform.KubeApiDouble.Tests;

public sealed class DeploymentTests
{
    [Fact]
    public async Task Create_sets_server_fields_and_defaults()
    {
        await using var cluster = await TestCluster.StartAsync();

        var created = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.True(long.Parse(created.Metadata.ResourceVersion) > 0);
        Assert.Equal("RollingUpdate", created.Spec.Strategy.Type);
        Assert.Equal("IfNotPresent", created.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        var manager = Assert.Single(created.Metadata.ManagedFields);
        Assert.Equal("Update", manager.Operation);
        Assert.Equal("kubernetes-csharp", manager.Manager);
    }

    [Fact]
    public async Task Resource_versions_increase_across_all_writes()
    {
        await using var cluster = await TestCluster.StartAsync();

        var first = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("a"), "default");
        var map = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" }, Data = new Dictionary<string, string> { ["k"] = "v" } }, "default");
        var second = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("b"), "default");

        Assert.True(long.Parse(first.Metadata.ResourceVersion) < long.Parse(map.Metadata.ResourceVersion));
        Assert.True(long.Parse(map.Metadata.ResourceVersion) < long.Parse(second.Metadata.ResourceVersion));
        var list = await cluster.Client.AppsV1.ListNamespacedDeploymentAsync("default");
        Assert.Equal(["a", "b"], list.Items.Select(d => d.Metadata.Name));
        Assert.Equal(second.Metadata.ResourceVersion, list.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Errors_come_back_as_Kubernetes_Status_objects()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");

        var (missingCode, missing) = await TestCluster.FailureOf(() => cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("nope", "default"));
        var (existsCode, exists) = await TestCluster.FailureOf(() => cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default"));
        var elsewhere = TestCluster.Deployment("web");
        elsewhere.Metadata.NamespaceProperty = null;
        var (nsCode, noNamespace) = await TestCluster.FailureOf(() => cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(elsewhere, "absent"));
        var (mismatchCode, mismatch) = await TestCluster.FailureOf(() => cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "kube-system"));

        Assert.Equal((404, "NotFound", "deployments.apps \"nope\" not found"), (missingCode, missing.Reason, missing.Message));
        Assert.Equal((409, "AlreadyExists", "deployments.apps \"web\" already exists"), (existsCode, exists.Reason, exists.Message));
        Assert.Equal((404, "namespaces \"absent\" not found"), (nsCode, noNamespace.Message));
        Assert.Equal((400, "the namespace of the provided object does not match the namespace sent on the request"), (mismatchCode, mismatch.Message));
    }

    [Fact]
    public async Task Built_in_validation_names_the_field()
    {
        await using var cluster = await TestCluster.StartAsync();
        var deployment = TestCluster.Deployment("web");
        deployment.Spec.Template.Metadata.Labels["app"] = "other";

        var (code, status) = await TestCluster.FailureOf(() => cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default"));

        Assert.Equal(422, code);
        Assert.Equal("Invalid", status.Reason);
        Assert.StartsWith("Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value:", status.Message);
        Assert.Equal("spec.template.metadata.labels", Assert.Single(status.Details.Causes).Field);
    }

    [Fact]
    public async Task Replace_with_a_stale_resource_version_is_a_conflict()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");
        created.Spec.Replicas = 2;
        await cluster.Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", "default");

        created.Spec.Replicas = 3;
        var (code, status) = await TestCluster.FailureOf(() => cluster.Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", "default"));

        Assert.Equal(409, code);
        Assert.Equal("Conflict", status.Reason);
        Assert.Contains("the object has been modified", status.Message);
    }

    [Fact]
    public async Task Generation_moves_only_when_the_spec_changes()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");

        created.Metadata.Labels["team"] = "serving";
        var relabelled = await cluster.Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", "default");
        relabelled.Spec.Replicas = 4;
        var scaled = await cluster.Client.AppsV1.ReplaceNamespacedDeploymentAsync(relabelled, "web", "default");
        scaled.Status = new V1DeploymentStatus { Replicas = 4, ReadyReplicas = 4, ObservedGeneration = scaled.Metadata.Generation };
        var reported = await cluster.Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(scaled, "web", "default");

        Assert.Equal(1, relabelled.Metadata.Generation);
        Assert.Equal(2, scaled.Metadata.Generation);
        Assert.Equal(2, reported.Metadata.Generation);
        Assert.NotEqual(scaled.Metadata.ResourceVersion, reported.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Main_endpoint_ignores_status_and_status_endpoint_changes_only_status()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");

        created.Status = new V1DeploymentStatus { ReadyReplicas = 7 };
        var viaMain = await cluster.Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", "default");
        Assert.Null(viaMain.Status?.ReadyReplicas);

        viaMain.Status = new V1DeploymentStatus { ReadyReplicas = 1 };
        viaMain.Spec.Replicas = 9;
        var viaStatus = await cluster.Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(viaMain, "web", "default");

        Assert.Equal(1, viaStatus.Status.ReadyReplicas);
        Assert.Equal(1, viaStatus.Spec.Replicas);
    }

    [Fact]
    public async Task Merge_strategic_and_json_patches_apply()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");

        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"labels":{"tier":"gpu"}}}""", V1Patch.PatchType.MergePatch), "web", "default");
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"proxy:1"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "web", "default");
        var patched = await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""[{"op":"replace","path":"/spec/replicas","value":3}]""", V1Patch.PatchType.JsonPatch), "web", "default");

        Assert.Equal("gpu", patched.Metadata.Labels["tier"]);
        Assert.Equal(["server", "sidecar"], patched.Spec.Template.Spec.Containers.Select(c => c.Name));
        Assert.Equal(3, patched.Spec.Replicas);
        Assert.Equal(3, patched.Metadata.Generation);
    }

    [Fact]
    public async Task Scale_subresource_reads_and_writes_replicas()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web", replicas: 2), "default");

        var scale = await cluster.Client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "default");
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal(0, scale.Status.Replicas); // no Deployment controller runs here
        Assert.Equal("app=web", scale.Status.Selector);

        scale.Spec.Replicas = 5;
        var replaced = await cluster.Client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "web", "default");
        var patched = await cluster.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(
            new V1Patch("""{"spec":{"replicas":6}}""", V1Patch.PatchType.MergePatch), "web", "default");
        var deployment = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");

        Assert.Equal(5, replaced.Spec.Replicas);
        Assert.Equal(6, patched.Spec.Replicas);
        Assert.Equal(6, deployment.Spec.Replicas);
        Assert.Equal(3, deployment.Metadata.Generation);
    }

    [Fact]
    public async Task Scale_with_a_negative_count_is_invalid()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");

        var (code, status) = await TestCluster.FailureOf(() => cluster.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(
            new V1Patch("""{"spec":{"replicas":-1}}""", V1Patch.PatchType.MergePatch), "web", "default"));

        Assert.Equal(422, code);
        Assert.Equal("Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0", status.Message);
    }

    [Fact]
    public async Task Label_and_field_selectors_filter_lists()
    {
        await using var cluster = await TestCluster.StartAsync();
        foreach (var (name, tier) in new[] { ("a", "gpu"), ("b", "cpu"), ("c", "gpu") })
        {
            var deployment = TestCluster.Deployment(name);
            deployment.Metadata.Labels["tier"] = tier;
            await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default");
        }

        var gpu = await cluster.Client.AppsV1.ListNamespacedDeploymentAsync("default", labelSelector: "tier=gpu,app");
        var notGpu = await cluster.Client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: "tier notin (gpu)");
        var byName = await cluster.Client.AppsV1.ListNamespacedDeploymentAsync("default", fieldSelector: "metadata.name=c");
        var (code, status) = await TestCluster.FailureOf(() => cluster.Client.AppsV1.ListNamespacedDeploymentAsync("default", fieldSelector: "spec.paused=true"));

        Assert.Equal(["a", "c"], gpu.Items.Select(d => d.Metadata.Name));
        Assert.Equal(["b"], notGpu.Items.Select(d => d.Metadata.Name));
        Assert.Equal(["c"], byName.Items.Select(d => d.Metadata.Name));
        Assert.Equal((400, "field label not supported: spec.paused"), (code, status.Message));
    }

    [Fact]
    public async Task Lists_page_with_limit_and_continue()
    {
        await using var cluster = await TestCluster.StartAsync();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment(name), "default");
        }

        var first = await cluster.Client.AppsV1.ListNamespacedDeploymentAsync("default", limit: 2);
        var second = await cluster.Client.AppsV1.ListNamespacedDeploymentAsync("default", limit: 2, continueParameter: first.Metadata.ContinueProperty);
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("d"), "default");
        cluster.Api.Store.CompactHistory();
        var (code, status) = await TestCluster.FailureOf(() =>
            cluster.Client.AppsV1.ListNamespacedDeploymentAsync("default", limit: 2, continueParameter: first.Metadata.ContinueProperty));

        Assert.Equal(["a", "b"], first.Items.Select(d => d.Metadata.Name));
        Assert.Equal(1, first.Metadata.RemainingItemCount);
        Assert.Equal(["c"], second.Items.Select(d => d.Metadata.Name));
        Assert.Null(second.Metadata.ContinueProperty);
        Assert.Equal((410, "Expired"), (code, status.Reason));
    }
}
