using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.EnvTest;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.EnvTests.Support;

namespace Platform.Operator.EnvTests.Api;

/// <summary>
/// Every CEL rule of the CRD, and each kind of schema constraint, refuses its bad object on the
/// real API server with a message that names the field.
/// </summary>
[Collection(EnvTestCollection.Name)]
public sealed class ValidationTests(ControlPlaneFixture fixture)
{
    private const string ValidSpec = """{"model":{"path":"model.onnx","source":{"pvc":{"claimName":"models"}}}}""";

    /// <summary>(case, name, JSON merged into the valid spec, the field the error must name, a fragment of the message).</summary>
    public static TheoryData<string, string, string, string, string> BadObjects => new()
    {
        // CEL rules (each message of the CRD appears here; a test checks none is missed).
        { "name not a DNS-1035 label", "9lives", "{}", "metadata.name", "metadata.name must be a DNS-1035 label" },
        { "cuda without a gpu", "svc", """{"serving":{"executionProvider":"cuda"}}""", "spec.serving.executionProvider", "serving.executionProvider 'cuda' needs resources.gpu of at least 1" },
        { "preprocessing alone", "svc", """{"preprocessing":{}}""", "spec.postprocessing", "postprocessing is required with preprocessing" },
        { "postprocessing alone", "svc", """{"postprocessing":{}}""", "spec.preprocessing", "preprocessing is required with postprocessing" },
        { "gpu memory guard on a cpu service", "svc", """{"gpu":{"minFreeMemory":"1Gi"}}""", "spec.gpu.minFreeMemory", "gpu.minFreeMemory needs resources.gpu of at least 1" },
        { "min above max", "svc", """{"autoscaling":{"minReplicas":5,"maxReplicas":2}}""", "spec.autoscaling.minReplicas", "minReplicas must be less than or equal to maxReplicas" },
        { "min 0 in Builtin mode (the default)", "svc", """{"autoscaling":{"minReplicas":0}}""", "spec.autoscaling.minReplicas", "minReplicas 0 needs mode External or Off" },
        { "model path escapes", "svc", """{"model":{"path":"a/../../m.onnx"}}""", "spec.model.path", "path must stay inside the model volume" },
        { "both pvc and image", "svc", """{"model":{"source":{"image":{"reference":"r/m:1"}}}}""", "spec.model.source", "exactly one of pvc or image must be set" },
        { "subPath escapes", "svc", """{"model":{"source":{"pvc":{"subPath":"../x"}}}}""", "spec.model.source.pvc.subPath", "subPath must stay inside the volume" },
        { "labels outside the volume", "svc", """{"preprocessing":{},"postprocessing":{"labelsPath":"a/../../b"}}""", "spec.postprocessing.labelsPath", "labelsPath must stay inside the model volume" },
        { "zero scale", "svc", """{"preprocessing":{"scale":0},"postprocessing":{}}""", "spec.preprocessing.scale", "scale must be greater than 0" },
        { "zero std", "svc", """{"preprocessing":{"std":[1,0,1]},"postprocessing":{}}""", "spec.preprocessing.std", "every std entry must be greater than 0" },
        { "warm-up batch above the max", "svc", """{"serving":{"maxBatchSize":4,"warmupBatchSizes":[1,8]}}""", "spec.serving.warmupBatchSizes", "every warmupBatchSizes entry must be at most maxBatchSize" },
        // Schema constraints, one of each kind.
        { "minimum", "svc", """{"autoscaling":{"maxReplicas":0}}""", "spec.autoscaling.maxReplicas", "should be greater than or equal to 1" },
        { "maximum", "svc", """{"serving":{"maxBatchSize":5000}}""", "spec.serving.maxBatchSize", "should be less than or equal to 1024" },
        { "enum", "svc", """{"autoscaling":{"mode":"Sometimes"}}""", "spec.autoscaling.mode", "Unsupported value: \"Sometimes\"" },
        { "pattern", "svc", """{"model":{"source":{"pvc":{"claimName":"Bad_Name"}}}}""", "spec.model.source.pvc.claimName", "should match" },
        { "type", "svc", """{"replicas":"two"}""", "spec.replicas", "must be of type integer" },
        { "length", "svc", """{"image":""}""", "spec.image", "should be at least 1 chars long" },
    };

    [EnvTestTheory]
    [MemberData(nameof(BadObjects))]
    public async Task A_bad_object_is_refused_naming_the_field(string because, string name, string specPatch, string field, string message)
    {
        await Crds.EnsureInstalledAsync(fixture.Plane);
        var spec = JsonNode.Parse(ValidSpec)!.AsObject();
        Merge(spec, JsonNode.Parse(specPatch)!.AsObject());
        if (because == "both pvc and image") spec["model"]!["source"]!["pvc"] = new JsonObject { ["claimName"] = "models" };
        var body = new JsonObject
        {
            ["apiVersion"] = $"{InferenceService.GroupName}/{InferenceService.Version}",
            ["kind"] = InferenceService.KindName,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => fixture.Admin.CustomObjects.CreateNamespacedCustomObjectAsync(
            body, InferenceService.GroupName, InferenceService.Version, "default", InferenceService.Plural, dryRun: "All"));

        Assert.Equal(422, (int)refused.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(refused.Response.Content);
        var cause = status.Details?.Causes?.FirstOrDefault(c => c.Message.Contains(message, StringComparison.Ordinal));
        Assert.True(cause is not null, $"{because}: no cause with '{message}' in: {status.Message}");
        // The root rule on metadata.name is reported at the object (<nil>); its message names the field.
        if (field != "metadata.name") Assert.Equal(field, cause.Field);
    }

    [EnvTestFact]
    public async Task The_table_covers_every_rule_of_the_crd()
    {
        await Crds.EnsureInstalledAsync(fixture.Plane);
        var crd = await fixture.Admin.ApiextensionsV1.ReadCustomResourceDefinitionAsync(Crds.InferenceServiceCrd);
        var messages = new List<string>();
        Collect(crd.Spec.Versions.Single().Schema.OpenAPIV3Schema, messages);
        var covered = BadObjects.Select(row => (string)row[4]).ToList();

        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.Contains(covered, c => m.Contains(c, StringComparison.Ordinal)));
    }

    [EnvTestFact]
    public async Task The_valid_object_is_accepted_and_defaulted()
    {
        await Crds.EnsureInstalledAsync(fixture.Plane);
        var ns = await fixture.CreateNamespaceAsync("valid");
        var body = JsonNode.Parse($$"""{"apiVersion":"serving.platform.dev/v1alpha1","kind":"InferenceService","metadata":{"name":"ok"},"spec":{{ValidSpec}}}""");

        var created = KubernetesJson.Deserialize<InferenceService>(KubernetesJson.Serialize(
            await fixture.Admin.CustomObjects.CreateNamespacedCustomObjectAsync(body, InferenceService.GroupName, InferenceService.Version, ns, InferenceService.Plural)));

        Assert.Equal(AutoscalingMode.Builtin, created.Spec.Autoscaling.Mode);
        Assert.Equal(1, created.Spec.Autoscaling.MinReplicas);
        Assert.Equal(4, created.Spec.Autoscaling.MaxReplicas);
        Assert.Equal(8, created.Spec.Serving.MaxBatchSize);
    }

    private static void Collect(V1JSONSchemaProps? schema, List<string> messages)
    {
        if (schema is null) return;
        messages.AddRange(schema.XKubernetesValidations?.Select(v => v.Message) ?? []);
        foreach (var child in schema.Properties?.Values ?? []) Collect(child, messages);
        Collect(schema.Items as V1JSONSchemaProps, messages);
        Collect(schema.AdditionalProperties as V1JSONSchemaProps, messages);
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is JsonObject child && target[key] is JsonObject existing) Merge(existing, child);
            else target[key] = value?.DeepClone();
        }
    }
}
