using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>Labels and annotations the operator puts on what it creates.</summary>
public static class ResourceLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Component = "app.kubernetes.io/component";
    public const string InferenceService = InferenceServiceGroup + "/inferenceservice";

    public const string ApplicationName = "platform-inference";
    public const string ComponentName = "model-server";

    /// <summary>Annotation holding the hash of the desired object last applied (see <see cref="DesiredHash"/>).</summary>
    public const string DesiredHashAnnotation = InferenceServiceGroup + "/desired-hash";

    private const string InferenceServiceGroup = Api.V1Alpha1.InferenceService.GroupName;

    /// <summary>
    /// The pod selector: one label, unique per InferenceService in a namespace. It is
    /// immutable on a Deployment, so it never holds anything that could change.
    /// </summary>
    public static Dictionary<string, string> Selector(string serviceName) => new(StringComparer.Ordinal)
    {
        [InferenceService] = serviceName,
    };

    /// <summary>The selector as the scale subresource's string form (status.selector).</summary>
    public static string SelectorString(string serviceName) => $"{InferenceService}={serviceName}";

    /// <summary>All labels of the Deployment, Service, PDB and pods.</summary>
    public static Dictionary<string, string> For(string serviceName, string managedBy) => new(StringComparer.Ordinal)
    {
        [Name] = ApplicationName,
        [Instance] = serviceName,
        [Component] = ComponentName,
        [ManagedBy] = managedBy,
        [InferenceService] = serviceName,
    };
}
