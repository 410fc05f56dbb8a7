using Platform.KubeApiDouble.Json;

namespace Platform.KubeApiDouble.Registry;

/// <summary>The built-in kinds a controller of this project relies on.</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ResourceDefinition> All { get; } =
    [
        new()
        {
            Group = "", Versions = ["v1"], Kind = "Namespace", Plural = "namespaces", Singular = "namespace",
            Namespaced = false, ShortNames = ["ns"], HasStatusSubresource = true, ReturnsDeletedObject = true,
            SelectableFields = ["status.phase"],
        },
        new()
        {
            Group = "", Versions = ["v1"], Kind = "Pod", Plural = "pods", Singular = "pod",
            Namespaced = true, ShortNames = ["po"], Categories = ["all"], HasStatusSubresource = true, ReturnsDeletedObject = true,
            SelectableFields = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP"],
        },
        new()
        {
            Group = "", Versions = ["v1"], Kind = "Service", Plural = "services", Singular = "service",
            Namespaced = true, ShortNames = ["svc"], Categories = ["all"], HasStatusSubresource = true,
        },
        new()
        {
            Group = "", Versions = ["v1"], Kind = "Endpoints", Plural = "endpoints", Singular = "endpoints",
            Namespaced = true, ShortNames = ["ep"],
        },
        new()
        {
            Group = "", Versions = ["v1"], Kind = "Event", Plural = "events", Singular = "event",
            Namespaced = true, ShortNames = ["ev"],
            SelectableFields =
            [
                "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                "reason", "reportingComponent", "source", "type",
            ],
        },
        new()
        {
            Group = "", Versions = ["v1"], Kind = "ConfigMap", Plural = "configmaps", Singular = "configmap",
            Namespaced = true, ShortNames = ["cm"],
        },
        new()
        {
            Group = "", Versions = ["v1"], Kind = "PersistentVolumeClaim", Plural = "persistentvolumeclaims",
            Singular = "persistentvolumeclaim", Namespaced = true, ShortNames = ["pvc"], HasStatusSubresource = true,
        },
        new()
        {
            Group = "", Versions = ["v1"], Kind = "Secret", Plural = "secrets", Singular = "secret",
            Namespaced = true, SelectableFields = ["type"],
        },
        new()
        {
            Group = "apps", Versions = ["v1"], Kind = "Deployment", Plural = "deployments", Singular = "deployment",
            Namespaced = true, ShortNames = ["deploy"], Categories = ["all"], HasStatusSubresource = true,
            TracksGeneration = true,
            Scale = new ScaleSubresource(
                DottedPath.Parse(".spec.replicas"), DottedPath.Parse(".status.replicas"), LabelSelectorPath: null,
                SelectorFromSpecSelector: true),
        },
        new()
        {
            Group = "policy", Versions = ["v1"], Kind = "PodDisruptionBudget", Plural = "poddisruptionbudgets",
            Singular = "poddisruptionbudget", Namespaced = true, ShortNames = ["pdb"], HasStatusSubresource = true,
            TracksGeneration = true,
        },
        new()
        {
            Group = "coordination.k8s.io", Versions = ["v1"], Kind = "Lease", Plural = "leases", Singular = "lease",
            Namespaced = true,
        },
        new()
        {
            Group = "events.k8s.io", Versions = ["v1"], Kind = "Event", Plural = "events", Singular = "event",
            Namespaced = true, ShortNames = ["ev"],
            SelectableFields = ["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "reason", "type", "reportingController"],
        },
        new()
        {
            Group = "apiextensions.k8s.io", Versions = ["v1"], Kind = "CustomResourceDefinition",
            Plural = "customresourcedefinitions", Singular = "customresourcedefinition", Namespaced = false,
            ShortNames = ["crd", "crds"], Categories = ["api-extensions"], HasStatusSubresource = true,
            TracksGeneration = true,
        },
    ];
}
