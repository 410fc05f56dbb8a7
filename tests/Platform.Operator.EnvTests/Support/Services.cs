using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.EnvTests.Support;

/// <summary>InferenceServices on the control plane, as JSON (what kubectl sends), and their owned objects.</summary>
internal static class Services
{
    /// <summary>A service whose model comes from a PVC (image volumes need Kubernetes 1.33+).</summary>
    public static JsonObject New(string name, string extraSpec = "{}")
    {
        var spec = JsonNode.Parse("""{"model":{"name":"classifier","path":"model.onnx","source":{"pvc":{"claimName":"models"}}}}""")!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(extraSpec)!.AsObject().ToList()) spec[key] = value?.DeepClone();
        return new JsonObject
        {
            ["apiVersion"] = $"{InferenceService.GroupName}/{InferenceService.Version}",
            ["kind"] = InferenceService.KindName,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    public static async Task<InferenceService> CreateAsync(IKubernetes client, string ns, JsonObject service) =>
        Typed(await client.CustomObjects.CreateNamespacedCustomObjectAsync(service, InferenceService.GroupName, InferenceService.Version, ns, InferenceService.Plural));

    public static async Task<InferenceService> GetAsync(IKubernetes client, string ns, string name) =>
        Typed(await client.CustomObjects.GetNamespacedCustomObjectAsync(InferenceService.GroupName, InferenceService.Version, ns, InferenceService.Plural, name));

    public static Task PatchSpecAsync(IKubernetes client, string ns, string name, string specPatch) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch($$"""{"spec":{{specPatch}}}""", V1Patch.PatchType.MergePatch),
            InferenceService.GroupName, InferenceService.Version, ns, InferenceService.Plural, name);

    public static Task DeleteAsync(IKubernetes client, string ns, string name) =>
        client.CustomObjects.DeleteNamespacedCustomObjectAsync(InferenceService.GroupName, InferenceService.Version, ns, InferenceService.Plural, name);

    public static string? Condition(InferenceService service, string type) =>
        service.Status?.Conditions?.FirstOrDefault(c => c.Type == type)?.Status;

    public static string Describe(InferenceService service) => JsonSerializer.Serialize(service.Status);

    public static async Task<string> EventsAsync(IKubernetes client, string ns, string name) =>
        string.Join(" | ", (await client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: $"involvedObject.name={name}")).Items
            .OrderBy(e => e.Metadata.CreationTimestamp).Select(e => $"{e.Type} {e.Reason}: {e.Message}"));

    private static InferenceService Typed(object response) => KubernetesJson.Deserialize<InferenceService>(KubernetesJson.Serialize(response));
}
