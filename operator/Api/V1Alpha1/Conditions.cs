namespace Platform.Operator.Api.V1Alpha1;

/// <summary>Condition types of <see cref="InferenceServiceStatus.Conditions"/>.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";
    public const string ScalingActive = "ScalingActive";
}

/// <summary>Values of a condition's status.</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}

/// <summary>The reasons the operator writes on conditions (CamelCase, as Kubernetes expects).</summary>
public static class ConditionReasons
{
    // Ready
    public const string ReplicasReady = "ReplicasReady";
    public const string NoReplicasReady = "NoReplicasReady";
    public const string ScaledToZero = "ScaledToZero";
    public const string DeploymentNotFound = "DeploymentNotFound";

    // Progressing
    public const string RollingOut = "RollingOut";
    public const string ScalingUp = "ScalingUp";
    public const string ScalingDown = "ScalingDown";
    public const string WaitingForReplicas = "WaitingForReplicas";
    public const string Stable = "Stable";
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";
    public const string ChangePending = "ChangePending";

    // Degraded (problems found on pods or the spec)
    public const string AsExpected = "AsExpected";
    public const string InvalidSpec = "InvalidSpec";
    /// <summary>The spec needs a newer Kubernetes than the cluster's (the message names the version).</summary>
    public const string KubernetesTooOld = "KubernetesTooOld";
    /// <summary>The API server refused a write (the message has its answer).</summary>
    public const string ApplyFailed = "ApplyFailed";
    public const string ImagePullFailed = "ImagePullFailed";
    public const string InsufficientGpu = "InsufficientGPU";
    public const string Unschedulable = "Unschedulable";
    public const string CrashLoopBackOff = "CrashLoopBackOff";
    public const string OutOfMemory = "OOMKilled";
    public const string ContainerConfigError = "ContainerConfigError";
    /// <summary>The pod asked for the CUDA provider and its libraries or a device were missing (the pod's termination message says which).</summary>
    public const string GpuRuntimeUnavailable = Platform.Contracts.PodExitReasons.GpuRuntimeUnavailable;
    public const string ModelVolumeFailed = "ModelVolumeFailed";
    public const string WarmupFailing = "WarmupFailing";
    public const string ReadinessFailing = "ReadinessFailing";
    public const string ReplicasUnavailable = "ReplicasUnavailable";

    // ScalingActive
    public const string AutoscalerDisabled = "AutoscalerDisabled";
    public const string AwaitingMetrics = "AwaitingMetrics";
}
