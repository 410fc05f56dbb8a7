using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Controller;
using Platform.Operator.Runtime;

namespace Platform.Packaging.Tests.Chart;

/// <summary>Where an API call is made: in the watched namespaces (all, or Operator:WatchNamespace), or in the operator's own namespace.</summary>
internal enum CallScope
{
    Watched,
    OwnNamespace,
}

/// <summary>One Kubernetes API request the operator makes, and the code that makes it.</summary>
internal sealed record ApiCall(string Group, string Resource, string Verb, CallScope Scope, string Source)
{
    /// <summary>Set when the call names one object (a rule may then be narrowed to it).</summary>
    public string? ResourceName { get; init; }

    public bool OnlyWithLeaderElection { get; init; }

    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "" : Group + "/")}{Resource}{(ResourceName is null ? "" : "/" + ResourceName)} ({Scope}; {Source})";
}

/// <summary>
/// Every Kubernetes API call the operator makes, read from operator/Controller and from
/// KubernetesClient's LeaderElection.LeaseLock. The chart's RBAC must grant exactly these.
/// When the operator starts making a new call, it belongs here first.
/// </summary>
internal static class OperatorApiCalls
{
    private const string Core = "";
    private const string Apps = "apps";
    private const string Policy = "policy";
    private const string Coordination = "coordination.k8s.io";
    private const string Serving = InferenceService.GroupName;
    private const string InferenceServices = InferenceService.Plural;

    /// <summary>The Lease the operator elects its leader on (LeaderElectionOptions.LeaseName's default, the chart's too).</summary>
    public static string LeaseName { get; } = new LeaderElectionOptions().LeaseName;

    public static IReadOnlyList<ApiCall> All { get; } =
    [
        // InferenceServiceSource: list and watch, cluster-wide or in the watch namespace.
        new(Serving, InferenceServices, "list", CallScope.Watched, "InferenceServiceSource.ListAsync"),
        new(Serving, InferenceServices, "watch", CallScope.Watched, "InferenceServiceSource.WatchAsync"),
        // ClusterWriter.PatchStatusAsync: merge patch of the status subresource.
        new(Serving, InferenceServices + "/status", "patch", CallScope.Watched, "ClusterWriter.PatchStatusAsync"),
        // Owned objects carry a controller owner reference with blockOwnerDeletion = true
        // (DesiredStateBuilder.OwnerReference); with the OwnerReferencesPermissionEnforcement
        // admission plugin that needs update on the owner's finalizers.
        new(Serving, InferenceServices + "/finalizers", "update", CallScope.Watched, "DesiredStateBuilder.OwnerReference (blockOwnerDeletion)"),

        // OwnedSources: label-selected informers; ClusterWriter.ApplyAsync: server-side apply,
        // which the API server authorizes as patch, and also as create when the object is new.
        new(Apps, "deployments", "list", CallScope.Watched, "OwnedSources.Deployments"),
        new(Apps, "deployments", "watch", CallScope.Watched, "OwnedSources.Deployments"),
        new(Apps, "deployments", "patch", CallScope.Watched, "ClusterWriter.ApplyAsync(V1Deployment); autoscaler replica writes"),
        new(Apps, "deployments", "create", CallScope.Watched, "ClusterWriter.ApplyAsync(V1Deployment) creating"),
        new(Core, "services", "list", CallScope.Watched, "OwnedSources.Services"),
        new(Core, "services", "watch", CallScope.Watched, "OwnedSources.Services"),
        new(Core, "services", "patch", CallScope.Watched, "ClusterWriter.ApplyAsync(V1Service)"),
        new(Core, "services", "create", CallScope.Watched, "ClusterWriter.ApplyAsync(V1Service) creating"),
        new(Policy, "poddisruptionbudgets", "list", CallScope.Watched, "OwnedSources.PodDisruptionBudgets"),
        new(Policy, "poddisruptionbudgets", "watch", CallScope.Watched, "OwnedSources.PodDisruptionBudgets"),
        new(Policy, "poddisruptionbudgets", "patch", CallScope.Watched, "ClusterWriter.ApplyAsync(V1PodDisruptionBudget)"),
        new(Policy, "poddisruptionbudgets", "create", CallScope.Watched, "ClusterWriter.ApplyAsync(V1PodDisruptionBudget) creating"),
        new(Core, "pods", "list", CallScope.Watched, "OwnedSources.Pods"),
        new(Core, "pods", "watch", CallScope.Watched, "OwnedSources.Pods"),
        new(Core, "pods", "get", CallScope.Watched, "autoscaler: reads a pod before scraping its /metrics"),

        // EventRecorder -> ClusterWriter.CreateEventAsync: core/v1 events in the InferenceService's namespace.
        new(Core, "events", "create", CallScope.Watched, "ClusterWriter.CreateEventAsync"),

        // LeaderElectedController -> LeaseLock: read, create when missing, replace to renew and,
        // on a graceful stop, to release. (ServerCapabilities reads /version, a non-resource URL
        // every authenticated user may read through the system:public-info-viewer role.)
        new(Coordination, "leases", "get", CallScope.OwnNamespace, "LeaseLock.ReadMetaObjectAsync") { ResourceName = LeaseName, OnlyWithLeaderElection = true },
        new(Coordination, "leases", "create", CallScope.OwnNamespace, "LeaseLock.CreateMetaObjectAsync") { OnlyWithLeaderElection = true },
        new(Coordination, "leases", "update", CallScope.OwnNamespace, "LeaseLock.ReplaceMetaObjectAsync") { ResourceName = LeaseName, OnlyWithLeaderElection = true },
    ];
}
