using System.Net;
using System.Text;
using k8s;
using k8s.Models;

namespace Platform.KubeApiDouble.Tests;

public sealed class ServerSideApplyTests
{
    private static V1Patch Apply(object config) => new(config, V1Patch.PatchType.ApplyPatch);

    [Fact]
    public async Task Apply_creates_then_an_identical_apply_writes_nothing()
    {
        await using var cluster = await TestCluster.StartAsync();

        var created = await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            Apply(TestCluster.Deployment("web")), "web", "default", fieldManager: "operator", force: true);
        var eventsBefore = cluster.Api.Store.ResourceVersion;
        var again = await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            Apply(TestCluster.Deployment("web")), "web", "default", fieldManager: "operator", force: true);

        var entry = Assert.Single(created.Metadata.ManagedFields);
        Assert.Equal(("operator", "Apply"), (entry.Manager, entry.Operation));
        Assert.Equal(created.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
        Assert.Equal(eventsBefore, cluster.Api.Store.ResourceVersion);
        Assert.Equal(1, cluster.Api.Requests.Count(r => r.IsApply && r.StatusCode == 201));
    }

    [Fact]
    public async Task Apply_conflicts_on_a_field_another_manager_changed_and_force_takes_it()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            Apply(TestCluster.Deployment("web", replicas: 2)), "web", "default", fieldManager: "operator");
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "web", "default", fieldManager: "kubectl-edit");

        var (code, status) = await TestCluster.FailureOf(() => cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            Apply(TestCluster.Deployment("web", replicas: 2)), "web", "default", fieldManager: "operator"));
        var forced = await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            Apply(TestCluster.Deployment("web", replicas: 2)), "web", "default", fieldManager: "operator", force: true);

        Assert.Equal(409, code);
        Assert.Equal("Conflict", status.Reason);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas", status.Message);
        Assert.Equal(".spec.replicas", Assert.Single(status.Details.Causes).Field);
        Assert.Equal(2, forced.Spec.Replicas);
        Assert.DoesNotContain(forced.Metadata.ManagedFields, m => m.Manager == "kubectl-edit");
    }

    [Fact]
    public async Task Applying_the_same_value_as_another_manager_shares_the_field()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            Apply(TestCluster.Deployment("web", replicas: 3)), "web", "default", fieldManager: "gitops");

        var applied = await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            Apply(TestCluster.Deployment("web", replicas: 3)), "web", "default", fieldManager: "operator");

        Assert.Equal(["gitops", "operator"], applied.Metadata.ManagedFields.Select(m => m.Manager).Order());
    }

    [Fact]
    public async Task Fields_a_manager_stops_applying_are_removed_unless_someone_else_owns_them()
    {
        await using var cluster = await TestCluster.StartAsync();
        var first = TestCluster.Deployment("web");
        first.Metadata.Labels["stage"] = "canary";
        first.Metadata.Annotations = new Dictionary<string, string> { ["owner"] = "operator" };
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(Apply(first), "web", "default", fieldManager: "operator");
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"annotations":{"owner":"operator","note":"kept"}}}""", V1Patch.PatchType.MergePatch),
            "web", "default", fieldManager: "user");

        var second = TestCluster.Deployment("web");
        var applied = await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(Apply(second), "web", "default", fieldManager: "operator");

        Assert.False(applied.Metadata.Labels.ContainsKey("stage"));
        Assert.Equal("kept", applied.Metadata.Annotations["note"]);
        // The user's patch wrote "owner" with the value it already had: an update only takes the fields it changes.
        Assert.False(applied.Metadata.Annotations.ContainsKey("owner"));
    }

    [Fact]
    public async Task Keyed_lists_merge_items_of_different_managers()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(Apply(TestCluster.Deployment("web")), "web", "default", fieldManager: "operator");
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
                 "spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"proxy:1"}]}}}}
                """, V1Patch.PatchType.ApplyPatch),
            "web", "default", fieldManager: "injector");

        var updated = TestCluster.Deployment("web", image: "registry.local/model-server:2.0");
        var applied = await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(Apply(updated), "web", "default", fieldManager: "operator");

        var containers = applied.Spec.Template.Spec.Containers.ToDictionary(c => c.Name, c => c.Image);
        Assert.Equal("registry.local/model-server:2.0", containers["server"]);
        Assert.Equal("proxy:1", containers["sidecar"]);
    }

    [Fact]
    public async Task Apply_without_a_field_manager_is_invalid()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, status) = await TestCluster.FailureOf(() =>
            cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(Apply(TestCluster.Deployment("web")), "web", "default"));

        Assert.Equal(422, code);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch", status.Message);
    }

    [Fact]
    public async Task Apply_to_status_changes_only_status_and_keeps_the_generation()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            Apply(TestCluster.Deployment("web")), "web", "default", fieldManager: "operator");

        var status = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1DeploymentSpec { Replicas = 9 },
            Status = new V1DeploymentStatus
            {
                ReadyReplicas = 1,
                Conditions = [new V1DeploymentCondition { Type = "Available", Status = "True" }],
            },
        };
        var applied = await cluster.Client.AppsV1.PatchNamespacedDeploymentStatusAsync(Apply(status), "web", "default", fieldManager: "controller");

        Assert.Equal(1, applied.Status.ReadyReplicas);
        Assert.Equal(1, applied.Spec.Replicas);
        Assert.Equal(created.Metadata.Generation, applied.Metadata.Generation);
        Assert.Contains(applied.Metadata.ManagedFields, m => m is { Manager: "controller", Subresource: "status" });
    }

    [Fact]
    public async Task Apply_accepts_a_YAML_body()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(cluster.Api.BaseUrl) };
        const string Yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              threshold: "0.5"
              enabled: "true"
            """;

        using var content = new StringContent(Yaml, Encoding.UTF8, "application/apply-patch+yaml");
        using var response = await http.PatchAsync("/api/v1/namespaces/default/configmaps/settings?fieldManager=tool", content);
        var map = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("0.5", map.Data["threshold"]);
        Assert.Equal("true", map.Data["enabled"]);
    }
}
