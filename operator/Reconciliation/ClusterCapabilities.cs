using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// What the cluster's API server can take, decided from its version alone (read once at start).
/// The desired-state builder leaves out what the server lacks; a spec that needs what it lacks
/// is reported instead of applied.
/// </summary>
/// <param name="Version">The API server's version.</param>
/// <param name="ServerVersion">Its gitVersion as reported, for messages.</param>
public sealed record ClusterCapabilities(KubernetesVersion Version, string ServerVersion)
{
    /// <summary>The oldest version the operator supports (and CI tests against).</summary>
    public static readonly KubernetesVersion MinimumSupported = new(1, 28);

    /// <summary>The preStop <c>sleep</c> action (PodLifecycleSleepAction, beta and on by default).</summary>
    public static readonly KubernetesVersion PreStopSleepSince = new(1, 30);

    /// <summary>Image volumes (ImageVolume, beta; the feature gate must be on).</summary>
    public static readonly KubernetesVersion ImageVolumesSince = new(1, 33);

    /// <summary>A server with every capability the operator uses (tests and tools that build objects without a cluster).</summary>
    public static ClusterCapabilities Newest { get; } = new(new KubernetesVersion(1, 34), "v1.34.0");

    public bool Supported => Version >= MinimumSupported;
    public bool PreStopSleep => Version >= PreStopSleepSince;
    public bool ImageVolumes => Version >= ImageVolumesSince;

    /// <summary>The one warning to log at start when the server lacks something, else null.</summary>
    public string? StartupWarning(int preStopSleepSeconds)
    {
        var notes = new List<string>();
        if (!Supported) notes.Add($"it is older than {MinimumSupported}, the oldest supported version");
        if (!PreStopSleep && preStopSleepSeconds > 0)
        {
            notes.Add($"pods get no preStop sleep (the sleep action needs {PreStopSleepSince}); its {preStopSleepSeconds} s go to the drain instead");
        }
        if (!ImageVolumes) notes.Add($"InferenceServices with spec.model.source.image are not deployed (image volumes need {ImageVolumesSince})");
        return notes.Count == 0 ? null : $"The Kubernetes API server is {ServerVersion}: " + string.Join("; ", notes) + ".";
    }

    /// <summary>Why this cluster cannot mount the spec's model source, or null when it can (as far as its version tells).</summary>
    public string? ModelSourceProblem(InferenceServiceSpec spec) =>
        spec.Model.Source.Image is not null && !ImageVolumes
            ? $"spec.model.source.image needs Kubernetes {ImageVolumesSince} or newer with image volumes enabled; the API server is {ServerVersion}. " +
              "Mount the model from a PersistentVolumeClaim (spec.model.source.pvc) or upgrade the cluster."
            : null;
}
