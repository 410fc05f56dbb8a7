using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// Computes an InferenceService's status from what was observed: replica counts, URL,
/// selector, and the Ready / Progressing / Degraded conditions with actionable reasons.
/// ScalingActive and status.autoscaling belong to the autoscaler: they are carried over
/// from the previous status (ScalingActive is set here only when the builtin autoscaler is
/// off, or as AwaitingMetrics before the autoscaler has written it).
/// </summary>
public static class StatusBuilder
{
    public static InferenceServiceStatus Build(StatusInputs inputs, ReconcileSettings settings)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(settings);
        var service = inputs.Service;
        var previous = service.Status;
        // The API stores times to the second; keeping that precision here lets a status
        // computed twice from the same observation compare equal.
        var now = TruncateToSeconds(inputs.Now);
        var generation = service.Metadata.Generation;
        var name = service.Metadata.Name;

        var status = new InferenceServiceStatus
        {
            ObservedGeneration = generation,
            Conditions = CopyConditions(previous?.Conditions),
            ModelName = EffectiveSpec.ModelName(service),
            Replicas = inputs.Deployment?.Status?.Replicas ?? 0,
            ReadyReplicas = inputs.Deployment?.Status?.ReadyReplicas ?? 0,
            DesiredReplicas = inputs.Deployment?.Spec?.Replicas ?? previous?.DesiredReplicas,
            Selector = ResourceLabels.SelectorString(name),
            Url = EffectiveSpec.Url(service, settings.ClusterDomain),
            GrpcAddress = EffectiveSpec.GrpcAddress(service, settings.ClusterDomain),
            Autoscaling = previous?.Autoscaling,
        };

        var observation = DeploymentObservation.From(inputs.Deployment);
        var problems = PodDiagnosis.Diagnose(inputs.Pods);
        var conditions = status.Conditions!;
        var blocker = Blocker(inputs);
        ConditionSet.Set(conditions, Ready(observation, problems, blocker, generation), now);
        ConditionSet.Set(conditions, Progressing(observation, blocker, generation), now);
        ConditionSet.Set(conditions, Degraded(observation, problems, blocker, generation), now);
        if (ScalingActive(service, conditions, generation) is { } scaling)
        {
            ConditionSet.Set(conditions, scaling, now);
        }
        return status;
    }

    /// <summary>Whether two statuses differ in anything that would be written (so the controller patches only on change).</summary>
    public static bool Changed(InferenceServiceStatus? before, InferenceServiceStatus? after)
    {
        if (before is null || after is null)
        {
            return before is not null || after is not null;
        }
        return !JsonNode.DeepEquals(JsonNode.Parse(KubernetesJson.Serialize(before)), JsonNode.Parse(KubernetesJson.Serialize(after)));
    }

    /// <summary>What stops this spec from being deployed as it is, most fundamental first; null when nothing does.</summary>
    private static Block? Blocker(StatusInputs inputs)
    {
        if (inputs.ValidationErrors.Count > 0)
        {
            return new Block(ConditionReasons.InvalidSpec, "Invalid spec: " + string.Join("; ", inputs.ValidationErrors),
                "The spec is invalid, so nothing was deployed (see the Degraded condition).", "The spec is invalid", Deployed: false);
        }
        if (inputs.ClusterProblem is { } problem)
        {
            return new Block(ConditionReasons.KubernetesTooOld, problem, problem, "The spec needs a newer Kubernetes", Deployed: false);
        }
        if (inputs.WriteFailure is { } failure)
        {
            return new Block(ConditionReasons.ApplyFailed, failure, "The Deployment could not be created: " + failure, "The API server refused the change", Deployed: true);
        }
        return null;
    }

    private static V1Condition Ready(DeploymentObservation d, IReadOnlyList<PodProblem> problems, Block? blocker, long? generation)
    {
        if (!d.Exists)
        {
            return blocker is not null
                ? Condition(ConditionTypes.Ready, ConditionStatus.False, blocker.Reason, blocker.ReadyMessage, generation)
                : Condition(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.DeploymentNotFound, "The Deployment has not been created yet.", generation);
        }
        if (d.Ready > 0)
        {
            return Condition(ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.ReplicasReady, $"{d.Ready}/{d.Desired} replicas ready.", generation);
        }
        if (d.Desired == 0)
        {
            return Condition(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.ScaledToZero, "Scaled to zero replicas.", generation);
        }
        if (problems.Count > 0)
        {
            return Condition(ConditionTypes.Ready, ConditionStatus.False, problems[0].Reason, $"0/{d.Desired} replicas ready: {problems[0].Message}", generation);
        }
        return Condition(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.NoReplicasReady,
            $"0/{d.Desired} replicas ready; replicas are starting (model load and warm-up).", generation);
    }

    private static V1Condition Progressing(DeploymentObservation d, Block? blocker, long? generation)
    {
        if (blocker is { Deployed: false })
        {
            return Condition(ConditionTypes.Progressing, ConditionStatus.False, blocker.Reason,
                d.Exists ? blocker.ProgressingMessage + "; the last deployed spec stays deployed." : blocker.ProgressingMessage + ".", generation);
        }
        if (blocker is not null)
        {
            return Condition(ConditionTypes.Progressing, ConditionStatus.False, blocker.Reason,
                blocker.ProgressingMessage + (d.Exists ? "; the Deployment keeps its last applied spec (see the Degraded condition)." : " (see the Degraded condition)."), generation);
        }
        if (!d.Exists)
        {
            return Condition(ConditionTypes.Progressing, ConditionStatus.True, ConditionReasons.RollingOut, "Creating the Deployment.", generation);
        }
        if (d.DeadlineExceeded is { } deadline)
        {
            return Condition(ConditionTypes.Progressing, ConditionStatus.False, ConditionReasons.ProgressDeadlineExceeded, deadline, generation);
        }
        // Until the Deployment controller has seen the latest change, its counts describe the one before.
        if (!d.GenerationObserved)
        {
            return Condition(ConditionTypes.Progressing, ConditionStatus.True, ConditionReasons.ChangePending,
                "The Deployment controller has not acted on the latest change yet.", generation);
        }
        // Pods of the old template remain (kubectl rollout status's rule). Ready counts old and new
        // pods together, since the Deployment's status does not split it.
        if (d.Total > d.Updated)
        {
            var old = d.Total - d.Updated;
            return Condition(ConditionTypes.Progressing, ConditionStatus.True, ConditionReasons.RollingOut,
                $"Rolling out: {d.Updated} of {d.Desired} replicas updated, {old} old {Replicas(old)} still running; {d.Ready} of {d.Total} ready (old and new together).", generation);
        }
        if (d.Total < d.Desired)
        {
            return Condition(ConditionTypes.Progressing, ConditionStatus.True, ConditionReasons.ScalingUp,
                $"Scaling up from {d.Total} to {d.Desired} replicas.", generation);
        }
        if (d.Total > d.Desired)
        {
            return Condition(ConditionTypes.Progressing, ConditionStatus.True, ConditionReasons.ScalingDown,
                $"Scaling down from {d.Total} to {d.Desired} replicas.", generation);
        }
        if (d.Ready < d.Desired)
        {
            return Condition(ConditionTypes.Progressing, ConditionStatus.True, ConditionReasons.WaitingForReplicas,
                $"{d.Ready}/{d.Desired} replicas ready.", generation);
        }
        return Condition(ConditionTypes.Progressing, ConditionStatus.False, ConditionReasons.Stable,
            $"All {d.Desired} replicas are updated and ready.", generation);
    }

    private static string Replicas(int count) => count == 1 ? "replica" : "replicas";

    private static V1Condition Degraded(DeploymentObservation d, IReadOnlyList<PodProblem> problems, Block? blocker, long? generation)
    {
        if (blocker is not null)
        {
            return Condition(ConditionTypes.Degraded, ConditionStatus.True, blocker.Reason, blocker.DegradedMessage, generation);
        }
        if (d.DeadlineExceeded is { } deadline)
        {
            var cause = problems.Count > 0 ? $" Cause: {problems[0].Message}" : "";
            return Condition(ConditionTypes.Degraded, ConditionStatus.True, ConditionReasons.ProgressDeadlineExceeded, deadline + cause, generation);
        }
        if (problems.Count > 0)
        {
            var others = problems.Skip(1).Select(p => p.Reason).Distinct().ToList();
            var more = problems.Count > 1
                ? $" ({problems.Count - 1} more problem{(problems.Count > 2 ? "s" : "")}{(others.Count > 0 ? ": " + string.Join(", ", others) : "")})"
                : "";
            return Condition(ConditionTypes.Degraded, ConditionStatus.True, problems[0].Reason, problems[0].Message + more, generation);
        }
        return Condition(ConditionTypes.Degraded, ConditionStatus.False, ConditionReasons.AsExpected, "", generation);
    }

    private static V1Condition? ScalingActive(InferenceService service, IList<V1Condition> conditions, long? generation)
    {
        var mode = service.Spec.Autoscaling.Mode;
        if (mode != AutoscalingMode.Builtin)
        {
            return Condition(ConditionTypes.ScalingActive, ConditionStatus.False, ConditionReasons.AutoscalerDisabled,
                mode == AutoscalingMode.External
                    ? "autoscaling.mode is External: replicas follow spec.replicas, set through the scale subresource."
                    : "autoscaling.mode is Off: replicas follow spec.replicas.",
                generation);
        }
        var existing = ConditionSet.Find(conditions, ConditionTypes.ScalingActive);
        if (existing is null || existing.Reason == ConditionReasons.AutoscalerDisabled)
        {
            return Condition(ConditionTypes.ScalingActive, ConditionStatus.Unknown, ConditionReasons.AwaitingMetrics,
                "The builtin autoscaler has not decided yet.", generation);
        }
        return null;
    }

    private static V1Condition Condition(string type, string status, string reason, string message, long? generation) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        ObservedGeneration = generation,
    };

    private static List<V1Condition> CopyConditions(IList<V1Condition>? conditions) =>
        [.. (conditions ?? []).Select(c => c with { })];

    private static DateTime TruncateToSeconds(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : time.Kind);

    /// <summary>Why the spec is not (fully) deployed: the reason and the message of each condition.</summary>
    /// <param name="Deployed">Whether the operator applied the spec at all (false: it did not try).</param>
    private sealed record Block(string Reason, string DegradedMessage, string ReadyMessage, string ProgressingMessage, bool Deployed);

    /// <summary>The few facts of a Deployment the conditions are computed from.</summary>
    private sealed record DeploymentObservation(bool Exists, int Desired, int Total, int Updated, int Ready, bool GenerationObserved, string? DeadlineExceeded)
    {
        public static DeploymentObservation From(V1Deployment? deployment)
        {
            if (deployment is null)
            {
                return new DeploymentObservation(false, 0, 0, 0, 0, false, null);
            }
            var status = deployment.Status;
            var progressing = status?.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
            var deadline = progressing is { Status: "False", Reason: "ProgressDeadlineExceeded" }
                ? $"The rollout made no progress within its deadline: {progressing.Message}"
                : null;
            return new DeploymentObservation(
                Exists: true,
                Desired: deployment.Spec?.Replicas ?? 1,
                Total: status?.Replicas ?? 0,
                Updated: status?.UpdatedReplicas ?? 0,
                Ready: status?.ReadyReplicas ?? 0,
                GenerationObserved: deployment.Metadata?.Generation is not { } generation || status?.ObservedGeneration >= generation,
                DeadlineExceeded: deadline);
        }
    }
}
