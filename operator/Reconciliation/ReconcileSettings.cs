namespace Platform.Operator.Reconciliation;

/// <summary>
/// Operator-wide settings that shape the objects reconcile builds. Defaults suit a
/// standard cluster; <see cref="Validate"/> lists every bad value at once.
/// </summary>
public sealed record ReconcileSettings
{
    /// <summary>Pod image used when spec.image is omitted.</summary>
    public required string DefaultImage { get; init; }

    /// <summary>Server-side apply field manager; also the value of app.kubernetes.io/managed-by.</summary>
    public string FieldManager { get; init; } = "platform-operator";

    /// <summary>Where the model volume is mounted (read-only) in the container.</summary>
    public string ModelMountPath { get; init; } = "/models";

    /// <summary>Cluster DNS domain used in status.url.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>
    /// Seconds the preStop hook sleeps before the container gets SIGTERM. Endpoint removal
    /// and kube-proxy/ingress updates run concurrently with pod termination; while they
    /// propagate, clients still send to this pod, so it keeps serving until they have caught up.
    /// 0 sets no hook; where the server lacks the sleep action, <see cref="PodShutdown"/> moves
    /// these seconds to the drain.
    /// </summary>
    public int PreStopSleepSeconds { get; init; } = 5;

    /// <summary>Slack on top of preStop sleep plus drain before the kubelet kills the container.</summary>
    public int TerminationGraceMarginSeconds { get; init; } = 5;

    /// <summary>How long a new pod may take to load the model and warm up before the startup probe gives up.</summary>
    public int StartupTimeoutSeconds { get; init; } = 600;

    /// <summary>Old ReplicaSets kept for rollback.</summary>
    public int RevisionHistoryLimit { get; init; } = 3;

    /// <summary>Non-root user (and group) the inference container runs as.</summary>
    public long RunAsUser { get; init; } = 65532;

    /// <summary>Size limit of the writable /tmp emptyDir.</summary>
    public string TmpSizeLimit { get; init; } = "1Gi";

    /// <summary>Every invalid setting, each as "Name: problem"; empty when all are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DefaultImage))
        {
            errors.Add($"{nameof(DefaultImage)}: must name the inference pod image");
        }
        if (string.IsNullOrWhiteSpace(FieldManager) || FieldManager.Length > 128)
        {
            errors.Add($"{nameof(FieldManager)}: must be 1 to 128 characters");
        }
        if (!ModelMountPath.StartsWith('/') || ModelMountPath.Length < 2 || ModelMountPath.EndsWith('/') || ModelMountPath == "/tmp")
        {
            errors.Add($"{nameof(ModelMountPath)}: must be an absolute directory path other than / and /tmp, without a trailing '/'");
        }
        if (string.IsNullOrWhiteSpace(ClusterDomain))
        {
            errors.Add($"{nameof(ClusterDomain)}: must not be empty");
        }
        if (PreStopSleepSeconds is < 0 or > 300)
        {
            errors.Add($"{nameof(PreStopSleepSeconds)}: must be 0 to 300");
        }
        if (TerminationGraceMarginSeconds is < 0 or > 300)
        {
            errors.Add($"{nameof(TerminationGraceMarginSeconds)}: must be 0 to 300");
        }
        if (StartupTimeoutSeconds is < 10 or > 86400)
        {
            errors.Add($"{nameof(StartupTimeoutSeconds)}: must be 10 to 86400");
        }
        if (RevisionHistoryLimit is < 0 or > 100)
        {
            errors.Add($"{nameof(RevisionHistoryLimit)}: must be 0 to 100");
        }
        if (RunAsUser <= 0)
        {
            errors.Add($"{nameof(RunAsUser)}: must be a non-root user id (> 0)");
        }
        if (!Quantities.TryParse(TmpSizeLimit, out _))
        {
            errors.Add($"{nameof(TmpSizeLimit)}: '{TmpSizeLimit}' is not a Kubernetes quantity");
        }
        return errors;
    }
}
