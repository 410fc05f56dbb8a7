using k8s;
using k8s.Models;
using Platform.Operator.Runtime;

namespace Platform.Operator.Controller;

/// <summary>Sources for the kinds the operator creates, narrowed to its own objects by the managed-by label.</summary>
public static class OwnedSources
{
    public static IResourceSource<V1Deployment> Deployments(IKubernetes client, string? ns, string selector) => new TypedSource<V1Deployment, V1DeploymentList>(
        ct => ns is null
            ? client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: selector, cancellationToken: ct)
            : client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: selector, cancellationToken: ct),
        (rv, onError, ct) => ns is null
            ? client.AppsV1.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: selector, resourceVersion: rv, timeoutSeconds: WatchTimeout.Seconds(), onError: onError, cancellationToken: ct)
            : client.AppsV1.WatchListNamespacedDeploymentAsync(ns, allowWatchBookmarks: true, labelSelector: selector, resourceVersion: rv, timeoutSeconds: WatchTimeout.Seconds(), onError: onError, cancellationToken: ct));

    public static IResourceSource<V1Service> Services(IKubernetes client, string? ns, string selector) => new TypedSource<V1Service, V1ServiceList>(
        ct => ns is null
            ? client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: selector, cancellationToken: ct)
            : client.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: selector, cancellationToken: ct),
        (rv, onError, ct) => ns is null
            ? client.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: selector, resourceVersion: rv, timeoutSeconds: WatchTimeout.Seconds(), onError: onError, cancellationToken: ct)
            : client.CoreV1.WatchListNamespacedServiceAsync(ns, allowWatchBookmarks: true, labelSelector: selector, resourceVersion: rv, timeoutSeconds: WatchTimeout.Seconds(), onError: onError, cancellationToken: ct));

    public static IResourceSource<V1PodDisruptionBudget> PodDisruptionBudgets(IKubernetes client, string? ns, string selector) => new TypedSource<V1PodDisruptionBudget, V1PodDisruptionBudgetList>(
        ct => ns is null
            ? client.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(labelSelector: selector, cancellationToken: ct)
            : client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(ns, labelSelector: selector, cancellationToken: ct),
        (rv, onError, ct) => ns is null
            ? client.PolicyV1.WatchListPodDisruptionBudgetForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: selector, resourceVersion: rv, timeoutSeconds: WatchTimeout.Seconds(), onError: onError, cancellationToken: ct)
            : client.PolicyV1.WatchListNamespacedPodDisruptionBudgetAsync(ns, allowWatchBookmarks: true, labelSelector: selector, resourceVersion: rv, timeoutSeconds: WatchTimeout.Seconds(), onError: onError, cancellationToken: ct));

    public static IResourceSource<V1Pod> Pods(IKubernetes client, string? ns, string selector) => new TypedSource<V1Pod, V1PodList>(
        ct => ns is null
            ? client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: selector, cancellationToken: ct)
            : client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct),
        (rv, onError, ct) => ns is null
            ? client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: selector, resourceVersion: rv, timeoutSeconds: WatchTimeout.Seconds(), onError: onError, cancellationToken: ct)
            : client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, labelSelector: selector, resourceVersion: rv, timeoutSeconds: WatchTimeout.Seconds(), onError: onError, cancellationToken: ct));
}
