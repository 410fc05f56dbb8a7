using k8s;
using k8s.Models;
using Platform.Operator.Api.Schema;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Hosting;

namespace Platform.Operator.Tests.EndToEnd;

/// <summary>
/// The same create / update / delete against a real cluster, when one is reachable: set
/// PLATFORM_E2E_KUBECONFIG to a kubeconfig whose current context may create CRDs and
/// namespaces. Without it these tests skip with the reason.
/// </summary>
public sealed class RealClusterTests
{
    private static string Kubeconfig => RealClusterFactAttribute.Kubeconfig!;

    [RealClusterFact]
    public async Task Create_update_delete_against_a_real_cluster()
    {
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));
        foreach (var (_, yaml) in CrdFiles.Generate())
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml);
            await client.ApiextensionsV1.PatchCustomResourceDefinitionAsync(new V1Patch(KubernetesJson.Serialize(crd), V1Patch.PatchType.ApplyPatch), crd.Metadata.Name, fieldManager: "platform-e2e", force: true);
        }
        var ns = $"platform-e2e-{Guid.NewGuid():N}"[..24];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        var app = OperatorHost.Build([$"--kubeconfig={Kubeconfig}", "--urls=http://127.0.0.1:0", $"--Operator:WatchNamespace={ns}"]);
        await app.StartAsync();
        try
        {
            var service = OperatorCluster.NewService("e2e");
            service.Metadata.NamespaceProperty = ns;
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(service, InferenceService.GroupName, InferenceService.Version, ns, InferenceService.Plural);
            await Eventually(async () => (await client.AppsV1.ListNamespacedDeploymentAsync(ns)).Items.Any(d => d.Metadata.Name == "e2e"));
            await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec":{"serving":{"maxBatchSize":16}}}""", V1Patch.PatchType.MergePatch),
                InferenceService.GroupName, InferenceService.Version, ns, InferenceService.Plural, "e2e");
            await Eventually(async () => (await client.AppsV1.ReadNamespacedDeploymentAsync("e2e", ns)).Spec.Template.Spec.Containers[0].Env.Any(e => e.Name == "Batching__MaxBatchSize" && e.Value == "16"));
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(InferenceService.GroupName, InferenceService.Version, ns, InferenceService.Plural, "e2e");
            await Eventually(async () => (await client.AppsV1.ListNamespacedDeploymentAsync(ns)).Items.Count == 0);
        }
        finally
        {
            await app.StopAsync();
            await client.CoreV1.DeleteNamespaceAsync(ns);
        }
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached on the real cluster");
            await Task.Delay(500);
        }
    }
}
