using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Platform.EnvTest;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.EnvTests.Support;

/// <summary>Installs the repository's CRDs (crds/) on a control plane once, and waits until they are served.</summary>
internal static class Crds
{
    public const string InferenceServiceCrd = $"{InferenceService.Plural}.{InferenceService.GroupName}";

    private static readonly ConcurrentDictionary<ControlPlane, Lazy<Task>> Installed = new();

    public static IEnumerable<string> Files => Directory.GetFiles(RepositoryRoot.File("crds"), "*.yaml").Order();

    public static Task EnsureInstalledAsync(ControlPlane plane) =>
        Installed.GetOrAdd(plane, p => new Lazy<Task>(() => InstallAsync(p))).Value;

    private static async Task InstallAsync(ControlPlane plane)
    {
        foreach (var file in Files)
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            await plane.Admin.ApiextensionsV1.PatchCustomResourceDefinitionAsync(
                new V1Patch(KubernetesJson.Serialize(crd), V1Patch.PatchType.ApplyPatch), crd.Metadata.Name, fieldManager: "envtest", force: true);
            await WaitEstablishedAsync(plane.Admin, crd.Metadata.Name);
        }
    }

    public static Task WaitEstablishedAsync(IKubernetes client, string name) =>
        Eventually.HoldsAsync($"CRD {name} Established", async () =>
            (await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name)).Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true);
}
