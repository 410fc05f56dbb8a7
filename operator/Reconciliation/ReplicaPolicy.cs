using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>Which replica count the Deployment gets.</summary>
public static class ReplicaPolicy
{
    /// <summary>
    /// Builtin mode: the autoscaler's decision, else the Deployment's current count (so a
    /// restart of the operator does not reset the scale), else minReplicas; always clamped to
    /// [minReplicas, maxReplicas] so a changed range applies at once.
    /// External and Off modes: spec.replicas, else max(1, minReplicas); not clamped, since the
    /// external scaler (or the user) owns the count.
    /// </summary>
    public static int DesiredReplicas(InferenceServiceSpec spec, int? autoscalerReplicas, int? currentDeploymentReplicas)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var autoscaling = spec.Autoscaling;
        if (autoscaling.Mode == AutoscalingMode.Builtin)
        {
            var wanted = autoscalerReplicas ?? currentDeploymentReplicas ?? autoscaling.MinReplicas;
            // Not Math.Clamp: it throws when min > max, which only an invalid spec has; min wins then.
            return Math.Max(autoscaling.MinReplicas, Math.Min(autoscaling.MaxReplicas, wanted));
        }
        return Math.Max(0, spec.Replicas ?? Math.Max(1, autoscaling.MinReplicas));
    }
}
