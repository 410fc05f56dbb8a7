using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Platform.KubeApiDouble.Validation;

namespace Platform.KubeApiDouble.Tests;

public sealed class CustomResourceTests
{
    private static Task<object> CreateWidget(TestCluster cluster, JsonObject widget) =>
        cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, WidgetCrd.Group, WidgetCrd.Version, "default", WidgetCrd.Plural);

    private static async Task<TestCluster> StartWithCrd()
    {
        var cluster = await TestCluster.StartAsync();
        await WidgetCrd.RegisterAsync(cluster.Client);
        return cluster;
    }

    [Fact]
    public async Task A_registered_CRD_is_established_and_served()
    {
        await using var cluster = await StartWithCrd();

        var crd = await cluster.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.test.platform.dev");
        var resources = await cluster.Client.GetAPIResourcesAsync(WidgetCrd.Group, WidgetCrd.Version);
        var list = WidgetCrd.AsJson(await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync(WidgetCrd.Group, WidgetCrd.Version, "default", WidgetCrd.Plural));

        Assert.Contains(crd.Status.Conditions, c => c is { Type: "Established", Status: "True" });
        Assert.Equal(["widgets", "widgets/scale", "widgets/status"], resources.Resources.Select(r => r.Name).Order());
        Assert.Equal("WidgetList", list["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Defaults_are_filled_and_unknown_fields_pruned()
    {
        await using var cluster = await StartWithCrd();

        var created = WidgetCrd.AsJson(await CreateWidget(cluster, WidgetCrd.Widget("w", """{"model":"org/resnet","bogus":1,"extra":{"free":"form"},"port":"http"}""")));

        var spec = created["spec"]!.AsObject();
        Assert.Equal(1, spec["replicas"]!.GetValue<int>());
        Assert.Equal(4, spec["maxReplicas"]!.GetValue<int>());
        Assert.Equal("latency", spec["mode"]!.GetValue<string>());
        Assert.Equal(0, spec["resources"]!["gpu"]!.GetValue<int>());
        Assert.False(spec.ContainsKey("bogus"));
        Assert.Equal("form", spec["extra"]!["free"]!.GetValue<string>());
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"model":"org/m","minReplicas":0,"maxReplicas":0}""", "spec.maxReplicas: Invalid value: 0: spec.maxReplicas in body should be greater than or equal to 1")]
    [InlineData("""{"model":"org/m","maxReplicas":0}""", "[spec.maxReplicas: Invalid value: 0: spec.maxReplicas in body should be greater than or equal to 1, spec: Invalid value: \"object\": minReplicas must not exceed maxReplicas]")]
    [InlineData("""{"replicas":1}""", "spec.model: Required value")]
    [InlineData("""{"model":"org/m","mode":"fast"}""", "spec.mode: Unsupported value: \"fast\": supported values: \"latency\", \"throughput\"")]
    [InlineData("""{"model":"org/m","replicas":"two"}""", "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"")]
    [InlineData("""{"model":"org/m","port":true}""", "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer/string: \"boolean\"")]
    [InlineData("""{"model":"org/m","note":"far too long a note"}""", "spec.note: Too long: may not be longer than 10")]
    [InlineData("""{"model":"org/m","minReplicas":5,"maxReplicas":2}""", "spec: Invalid value: \"object\": minReplicas must not exceed maxReplicas")]
    [InlineData("""{"model":"org/m","port":22}""", "spec: Invalid value: \"object\": port 22 is reserved")]
    public async Task Invalid_objects_are_refused_with_the_field_path(string spec, string expected)
    {
        await using var cluster = await StartWithCrd();

        var (code, status) = await TestCluster.FailureOf(() => CreateWidget(cluster, WidgetCrd.Widget("w", spec)));

        Assert.Equal((422, "Invalid"), (code, status.Reason));
        Assert.Equal($"Widget.test.platform.dev \"w\" is invalid: {expected}", status.Message);
    }

    [Fact]
    public async Task Nullable_fields_accept_null()
    {
        await using var cluster = await StartWithCrd();

        var created = WidgetCrd.AsJson(await CreateWidget(cluster, WidgetCrd.Widget("w", """{"model":"org/m","note":null}""")));

        Assert.True(created["spec"]!.AsObject().ContainsKey("note"));
    }

    [Fact]
    public async Task Transition_rules_apply_on_update_only()
    {
        await using var cluster = await StartWithCrd();
        await CreateWidget(cluster, WidgetCrd.Widget("w", """{"model":"org/a"}"""));

        var (code, status) = await TestCluster.FailureOf(() => cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"model":"org/b"}}""", V1Patch.PatchType.MergePatch), WidgetCrd.Group, WidgetCrd.Version, "default", WidgetCrd.Plural, "w"));

        Assert.Equal(422, code);
        Assert.EndsWith("spec.model: Invalid value: \"org/b\": model is immutable", status.Message);
    }

    [Fact]
    public async Task Rules_outside_the_supported_subset_are_reported_not_enforced()
    {
        await using var cluster = await StartWithCrd();

        await CreateWidget(cluster, WidgetCrd.Widget("w", """{"model":"no-slash"}"""));

        var rule = Assert.Single(cluster.Api.UnevaluatedValidationRules);
        Assert.Equal(new UnevaluatedValidationRule("widgets.test.platform.dev", "v1alpha1", "spec", "self.model.split('/').size() == 2", "function 'split'"), rule);
    }

    [Fact]
    public async Task Status_subresource_separates_spec_and_status_writes()
    {
        await using var cluster = await StartWithCrd();
        await CreateWidget(cluster, WidgetCrd.Widget("w", """{"model":"org/m"}"""));

        var viaMain = WidgetCrd.AsJson(await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"status":{"replicas":3},"spec":{"replicas":2}}""", V1Patch.PatchType.MergePatch),
            WidgetCrd.Group, WidgetCrd.Version, "default", WidgetCrd.Plural, "w"));
        var viaStatus = WidgetCrd.AsJson(await cluster.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"replicas":3,"selector":"app=w"},"spec":{"replicas":7}}""", V1Patch.PatchType.MergePatch),
            WidgetCrd.Group, WidgetCrd.Version, "default", WidgetCrd.Plural, "w"));

        Assert.Null(viaMain["status"]);
        Assert.Equal(2, viaMain["metadata"]!["generation"]!.GetValue<int>());
        Assert.Equal(3, viaStatus["status"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, viaStatus["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, viaStatus["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task Scale_subresource_follows_the_declared_paths()
    {
        await using var cluster = await StartWithCrd();
        await CreateWidget(cluster, WidgetCrd.Widget("w", """{"model":"org/m","replicas":2}"""));
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"replicas":2,"selector":"app=w"}}""", V1Patch.PatchType.MergePatch),
            WidgetCrd.Group, WidgetCrd.Version, "default", WidgetCrd.Plural, "w");

        var scale = WidgetCrd.AsJson(await cluster.Client.CustomObjects.GetNamespacedCustomObjectScaleAsync(
            WidgetCrd.Group, WidgetCrd.Version, "default", WidgetCrd.Plural, "w"));
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectScaleAsync(
            new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), WidgetCrd.Group, WidgetCrd.Version, "default", WidgetCrd.Plural, "w");
        var widget = cluster.Api.Store.Get(WidgetCrd.Resource, "default", "w")!;

        Assert.Equal("Scale", scale["kind"]!.GetValue<string>());
        Assert.Equal(2, scale["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("app=w", scale["status"]!["selector"]!.GetValue<string>());
        Assert.Equal(5, widget["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, widget["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task Server_side_apply_works_on_custom_resources()
    {
        await using var cluster = await StartWithCrd();
        var widget = WidgetCrd.Widget("w", """{"model":"org/m","replicas":2}""");
        widget["metadata"]!["namespace"] = "default";

        var created = WidgetCrd.AsJson(await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(widget.ToJsonString(), V1Patch.PatchType.ApplyPatch), WidgetCrd.Group, WidgetCrd.Version, "default", WidgetCrd.Plural, "w",
            fieldManager: "gitops"));
        var (code, status) = await TestCluster.FailureOf(() => cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"apiVersion":"test.platform.dev/v1alpha1","kind":"Widget","metadata":{"name":"w"},"spec":{"model":"org/m","replicas":3}}""", V1Patch.PatchType.ApplyPatch),
            WidgetCrd.Group, WidgetCrd.Version, "default", WidgetCrd.Plural, "w", fieldManager: "autoscaler"));

        Assert.Equal(1, created["spec"]!["minReplicas"]!.GetValue<int>());
        Assert.Equal(409, code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"gitops\" using test.platform.dev/v1alpha1: .spec.replicas", status.Message);
    }

    [Fact]
    public async Task Deleting_the_CRD_removes_its_objects_and_stops_serving_them()
    {
        await using var cluster = await StartWithCrd();
        await CreateWidget(cluster, WidgetCrd.Widget("w", """{"model":"org/m"}"""));

        await cluster.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.test.platform.dev");
        var (code, _) = await TestCluster.FailureOf(() => cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync(
            WidgetCrd.Group, WidgetCrd.Version, "default", WidgetCrd.Plural));
        await WidgetCrd.RegisterAsync(cluster.Client);
        var list = WidgetCrd.AsJson(await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync(WidgetCrd.Group, WidgetCrd.Version, "default", WidgetCrd.Plural));

        Assert.Equal(404, code);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task A_CRD_whose_name_does_not_match_is_refused()
    {
        await using var cluster = await TestCluster.StartAsync();
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(WidgetCrd.Json);
        crd.Metadata.Name = "gadgets.test.platform.dev";

        var (code, status) = await TestCluster.FailureOf(() => cluster.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd));

        Assert.Equal(422, code);
        Assert.Contains("metadata.name: Invalid value: \"gadgets.test.platform.dev\": must be spec.names.plural+\".\"+spec.group", status.Message);
    }

    [Theory]
    [InlineData("self.minReplicas <= 4", false)]
    [InlineData("!has(self.minReplicas) || self.minReplicas <= 4", true)]
    public async Task Rules_are_evaluated_against_schema_defaults_as_given(string rule, bool accepted)
    {
        // The real API server evaluates rules on each default without filling the defaults inside
        // it first, so a rule on a `default: {}` object that reads a field must guard it with has().
        await using var cluster = await TestCluster.StartAsync();
        var crd = JsonNode.Parse(WidgetCrd.Json)!.AsObject();
        var spec = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!.AsObject();
        var limits = JsonNode.Parse("""
            { "type": "object", "default": {}, "properties": { "minReplicas": { "type": "integer", "default": 1 } } }
            """)!.AsObject();
        limits["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = rule, ["message"] = "at most 4" });
        spec["limits"] = limits;

        var create = () => cluster.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(crd.ToJsonString()));

        if (accepted)
        {
            await create();
            return;
        }

        var (code, status) = await TestCluster.FailureOf(create);
        Assert.Equal(422, code);
        Assert.Contains(
            "spec.validation.openAPIV3Schema.properties[spec].properties[limits].default: Invalid value: \"object\": no such key: minReplicas evaluating rule: at most 4",
            status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_store_helpers_validate_custom_resources_too()
    {
        await using var cluster = await StartWithCrd();
        var widget = WidgetCrd.Widget("w", """{"model":"org/m","maxReplicas":500}""");
        widget["metadata"]!["namespace"] = "default";

        var error = Assert.Throws<KubeApiException>(() => cluster.Api.Store.Create(widget));

        Assert.Equal(422, error.Code);
        Assert.Contains("spec.maxReplicas in body should be less than or equal to 100", error.Message);
    }
}
