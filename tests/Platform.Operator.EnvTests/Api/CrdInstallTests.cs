using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.EnvTest;
using Platform.Operator.EnvTests.Support;

namespace Platform.Operator.EnvTests.Api;

/// <summary>
/// The CRD installs on a real API server the ways users install it: kubectl server-side and
/// client-side apply of crds/, and the chart's copy as `helm template --include-crds` renders it.
/// The server checks what no schema test can: structural schema rules, CEL compilation and cost,
/// CEL rules evaluated against schema defaults.
/// </summary>
[Collection(EnvTestCollection.Name)]
public sealed class CrdInstallTests(ControlPlaneFixture fixture)
{
    [EnvTestKubectlFact]
    public async Task The_generated_crd_applies_server_side_and_client_side()
    {
        var kubeconfig = fixture.Plane.AdminKubeconfig;
        foreach (var file in Crds.Files)
        {
            (await Kubectl.RunAsync(kubeconfig, "apply", "--server-side", "--force-conflicts", "--field-manager=envtest-kubectl", "-f", file)).EnsureSuccess($"apply --server-side -f {file}");
            (await Kubectl.RunAsync(kubeconfig, "apply", "-f", file)).EnsureSuccess($"apply -f {file}");
            (await Kubectl.RunAsync(kubeconfig, "apply", "--dry-run=server", "-f", file)).EnsureSuccess($"apply --dry-run=server -f {file}");
        }
        await Crds.WaitEstablishedAsync(fixture.Admin, Crds.InferenceServiceCrd);
    }

    [EnvTestHelmFact]
    public async Task The_charts_copy_applies_server_side_and_client_side()
    {
        var rendered = await HelmChart.TemplateAsync("--include-crds");
        var crdDocuments = string.Join("\n---\n", rendered.Split("\n---", StringSplitOptions.RemoveEmptyEntries)
            .Where(d => d.Contains("kind: CustomResourceDefinition", StringComparison.Ordinal)));
        Assert.Contains(Crds.InferenceServiceCrd, crdDocuments, StringComparison.Ordinal);
        var kubeconfig = fixture.Plane.AdminKubeconfig;

        (await Kubectl.RunAsync(kubeconfig, ["apply", "--server-side", "--force-conflicts", "--field-manager=envtest-helm", "-f", "-"], crdDocuments)).EnsureSuccess("apply --server-side (chart CRDs)");
        (await Kubectl.RunAsync(kubeconfig, ["apply", "-f", "-"], crdDocuments)).EnsureSuccess("apply (chart CRDs)");
        await Crds.WaitEstablishedAsync(fixture.Admin, Crds.InferenceServiceCrd);
    }

    [EnvTestHelmFact]
    public async Task The_rendered_chart_is_accepted_by_the_server()
    {
        await Crds.EnsureInstalledAsync(fixture.Plane);
        var ns = await fixture.CreateNamespaceAsync("chart");
        var rendered = await HelmChart.TemplateAsync("--namespace", ns);
        var result = await Kubectl.RunAsync(fixture.Plane.AdminKubeconfig, ["apply", "--server-side", "--dry-run=server", "-n", ns, "-f", "-"], rendered);
        result.EnsureSuccess("apply --server-side --dry-run=server (rendered chart)");
        Assert.Contains("serviceaccount/platform", result.Output, StringComparison.Ordinal);
    }

    [EnvTestTheory]
    [InlineData("self.minReplicas <= 4", false)]
    [InlineData("!has(self.minReplicas) || self.minReplicas <= 4", true)]
    public async Task Rules_on_a_defaulted_object_must_guard_the_fields_they_read(string rule, bool accepted)
    {
        // What broke the CRD on real servers, and what the API double now mirrors: the server
        // evaluates each rule against the schema default as written ({}), inner defaults not filled in.
        var name = accepted ? "guardeds.envtest.platform.dev" : "unguardeds.envtest.platform.dev";
        var crd = new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = "envtest.platform.dev",
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = name.Split('.')[0], Kind = accepted ? "Guarded" : "Unguarded" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1", Served = true, Storage = true,
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = KubernetesJson.Deserialize<V1JSONSchemaProps>($$"""
                                { "type": "object", "properties": { "spec": { "type": "object", "properties": { "limits": {
                                  "type": "object", "default": {},
                                  "x-kubernetes-validations": [{ "rule": {{System.Text.Json.JsonSerializer.Serialize(rule)}}, "message": "at most 4" }],
                                  "properties": { "minReplicas": { "type": "integer", "default": 1 } } } } } } }
                                """),
                        },
                    },
                ],
            },
        };

        var create = () => fixture.Admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);

        if (accepted)
        {
            await create();
            return;
        }
        var refused = await Assert.ThrowsAsync<HttpOperationException>(create);
        Assert.Equal(422, (int)refused.Response.StatusCode);
        Assert.Contains(
            "spec.validation.openAPIV3Schema.properties[spec].properties[limits].default: Invalid value: \"object\": no such key: minReplicas evaluating rule: at most 4",
            KubernetesJson.Deserialize<V1Status>(refused.Response.Content).Message, StringComparison.Ordinal);
    }

    [EnvTestKubectlFact]
    public async Task Kubectl_explain_shows_the_descriptions()
    {
        await Crds.EnsureInstalledAsync(fixture.Plane);
        var kubeconfig = fixture.Plane.AdminKubeconfig;

        // Discovery and the OpenAPI document follow a CRD change within seconds.
        KubectlResult explained = null!;
        await Eventually.HoldsAsync("kubectl explain inferenceservice.spec.autoscaling", async () =>
            (explained = await Kubectl.RunAsync(kubeconfig, "explain", "inferenceservice.spec.autoscaling")).ExitCode == 0, seen: () => Task.FromResult(explained?.Error ?? ""));

        Assert.Contains("How the replica count follows the load.", explained.Output, StringComparison.Ordinal);
        Assert.Contains("minReplicas", explained.Output, StringComparison.Ordinal);
        var top = (await Kubectl.RunAsync(kubeconfig, "explain", "inferenceservice")).EnsureSuccess("explain inferenceservice");
        Assert.Contains("serves one ONNX model over the Open Inference Protocol", top.Output, StringComparison.Ordinal);
        var field = (await Kubectl.RunAsync(kubeconfig, "explain", "infsvc.spec.autoscaling.maxReplicas")).EnsureSuccess("explain maxReplicas");
        Assert.Contains("Most replicas the builtin autoscaler runs.", field.Output, StringComparison.Ordinal);
    }
}
