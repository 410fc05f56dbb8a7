using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;
using Platform.Operator.Runtime;

namespace Platform.Operator.Controller;

/// <summary>The informers the controller reads from: InferenceServices and the objects they own.</summary>
public sealed class ClusterCache(
    Informer<InferenceService> services,
    Informer<V1Deployment> deployments,
    Informer<V1Service> kubeServices,
    Informer<V1PodDisruptionBudget> disruptionBudgets,
    Informer<V1Pod> pods)
{
    public Informer<InferenceService> InferenceServices { get; } = services;
    public Informer<V1Deployment> Deployments { get; } = deployments;
    public Informer<V1Service> Services { get; } = kubeServices;
    public Informer<V1PodDisruptionBudget> PodDisruptionBudgets { get; } = disruptionBudgets;
    public Informer<V1Pod> Pods { get; } = pods;

    public Task SyncedAsync() => Task.WhenAll(InferenceServices.Synced, Deployments.Synced, Services.Synced, PodDisruptionBudgets.Synced, Pods.Synced);

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(
        InferenceServices.RunAsync(cancellationToken), Deployments.RunAsync(cancellationToken), Services.RunAsync(cancellationToken),
        PodDisruptionBudgets.RunAsync(cancellationToken), Pods.RunAsync(cancellationToken));

    /// <summary>Pods of one InferenceService, by its selector label.</summary>
    public IReadOnlyList<V1Pod> PodsOf(InferenceService service)
    {
        var list = new List<V1Pod>();
        foreach (var pod in Pods.Items)
        {
            if (pod.Metadata.NamespaceProperty == service.Metadata.NamespaceProperty
                && pod.Metadata.Labels?.TryGetValue(ResourceLabels.InferenceService, out var owner) == true
                && owner == service.Metadata.Name)
            {
                list.Add(pod);
            }
        }
        return list;
    }

    /// <summary>The InferenceService key an owned object or pod belongs to, if any.</summary>
    public static string? OwnerKey(V1ObjectMeta metadata)
    {
        if (metadata.OwnerReferences is { } owners)
        {
            foreach (var owner in owners)
            {
                if (owner.Kind == InferenceService.KindName && owner.ApiVersion == InferenceService.ApiVersionValue)
                    return ObjectKey.Of(metadata.NamespaceProperty, owner.Name);
            }
        }
        return metadata.Labels?.TryGetValue(ResourceLabels.InferenceService, out var name) == true ? ObjectKey.Of(metadata.NamespaceProperty, name) : null;
    }
}
