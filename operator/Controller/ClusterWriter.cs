using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Controller;

/// <summary>
/// Every write the controller makes, thin over KubernetesClient: server-side apply of owned
/// objects under one field manager (forced, as controllers should), status merge patches
/// guarded by resourceVersion, and events.
/// </summary>
public sealed class ClusterWriter(IKubernetes client, ReconcileSettings settings, OperatorMetrics metrics)
{
    private readonly string _fieldManager = settings.FieldManager;

    public async Task<V1Deployment> ApplyAsync(V1Deployment desired, CancellationToken cancellationToken)
    {
        metrics.CountWrite("apply", "deployments");
        return await client.AppsV1.PatchNamespacedDeploymentAsync(ApplyPatch(desired), desired.Metadata.Name, desired.Metadata.NamespaceProperty,
            fieldManager: _fieldManager, force: true, cancellationToken: cancellationToken);
    }

    public async Task<V1Service> ApplyAsync(V1Service desired, CancellationToken cancellationToken)
    {
        metrics.CountWrite("apply", "services");
        return await client.CoreV1.PatchNamespacedServiceAsync(ApplyPatch(desired), desired.Metadata.Name, desired.Metadata.NamespaceProperty,
            fieldManager: _fieldManager, force: true, cancellationToken: cancellationToken);
    }

    public async Task<V1PodDisruptionBudget> ApplyAsync(V1PodDisruptionBudget desired, CancellationToken cancellationToken)
    {
        metrics.CountWrite("apply", "poddisruptionbudgets");
        return await client.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(ApplyPatch(desired), desired.Metadata.Name, desired.Metadata.NamespaceProperty,
            fieldManager: _fieldManager, force: true, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Replaces the status; the resourceVersion precondition makes a status computed from a stale
    /// read fail with 409 (and be recomputed) instead of overwriting newer information.
    /// </summary>
    public async Task PatchStatusAsync(InferenceService service, InferenceServiceStatus status, CancellationToken cancellationToken)
    {
        metrics.CountWrite("patch", "inferenceservices/status");
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = service.Metadata.ResourceVersion },
            ["status"] = JsonNode.Parse(KubernetesJson.Serialize(status)),
        };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            InferenceService.GroupName, InferenceService.Version, service.Metadata.NamespaceProperty, InferenceService.Plural, service.Metadata.Name,
            fieldManager: _fieldManager, cancellationToken: cancellationToken);
    }

    public async Task CreateEventAsync(Corev1Event @event, CancellationToken cancellationToken)
    {
        metrics.CountWrite("create", "events");
        await client.CoreV1.CreateNamespacedEventAsync(@event, @event.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    private static V1Patch ApplyPatch(object desired) => new(KubernetesJson.Serialize(desired), V1Patch.PatchType.ApplyPatch);
}
