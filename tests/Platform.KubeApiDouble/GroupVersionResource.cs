namespace Platform.KubeApiDouble;

/// <summary>Names a resource collection the way URLs do: group (empty for core), version, plural resource name.</summary>
public readonly record struct GroupVersionResource(string Group, string Version, string Resource)
{
    /// <summary>The <c>apiVersion</c> of objects in this collection: <c>v1</c> or <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public override string ToString() => $"{ApiVersion}/{Resource}";
}

/// <summary>The built-in resources the API double serves.</summary>
public static class KubeResources
{
    public static readonly GroupVersionResource Namespaces = new("", "v1", "namespaces");
    public static readonly GroupVersionResource Pods = new("", "v1", "pods");
    public static readonly GroupVersionResource Services = new("", "v1", "services");
    public static readonly GroupVersionResource Endpoints = new("", "v1", "endpoints");
    public static readonly GroupVersionResource Events = new("", "v1", "events");
    public static readonly GroupVersionResource ConfigMaps = new("", "v1", "configmaps");
    public static readonly GroupVersionResource Secrets = new("", "v1", "secrets");
    public static readonly GroupVersionResource PersistentVolumeClaims = new("", "v1", "persistentvolumeclaims");
    public static readonly GroupVersionResource Deployments = new("apps", "v1", "deployments");
    public static readonly GroupVersionResource PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets");
    public static readonly GroupVersionResource Leases = new("coordination.k8s.io", "v1", "leases");
    public static readonly GroupVersionResource EventsV1 = new("events.k8s.io", "v1", "events");
    public static readonly GroupVersionResource CustomResourceDefinitions = new("apiextensions.k8s.io", "v1", "customresourcedefinitions");
}
