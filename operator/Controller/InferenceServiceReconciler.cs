using k8s;
using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling.Actuation;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Controller;

/// <summary>Where the replica count of a builtin-autoscaled service comes from (the autoscaler's last decision).</summary>
public interface IReplicaRecommendations
{
    int? DesiredReplicas(string key);
}

/// <summary>
/// Level-based reconcile of one InferenceService: read it and what it owns from the caches,
/// compute the desired objects and status with the pure functions of Reconciliation/, and
/// write only what differs. An invalid spec is reported (condition and event) and not retried;
/// API errors propagate so the work queue retries with back-off.
/// </summary>
public sealed class InferenceServiceReconciler(
    ClusterCache cache,
    ClusterWriter writer,
    EventRecorder events,
    ReconcileSettings settings,
    AutoscalerRegistry autoscaler,
    TimeProvider time)
{
    private readonly AppliedGenerations _applied = new();

    public async Task<string> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var service = cache.InferenceServices.Get(key);
        if (service is null || service.Metadata.DeletionTimestamp is not null)
        {
            // Deleted: owner references let the garbage collector remove what it owned.
            var (ns, name) = ObjectKey.Split(key);
            _applied.Forget(ns, name);
            return "deleted";
        }
        var errors = SpecValidator.Validate(service);
        var deployment = cache.Deployments.Get(key);
        if (errors.Count == 0)
        {
            var replicas = ReplicaPolicy.DesiredReplicas(service.Spec, autoscaler.DesiredReplicas(key), deployment?.Spec?.Replicas);
            var desired = DesiredStateBuilder.Build(service, settings, replicas);
            deployment = await ApplyIfChangedAsync(service, desired.Deployment, deployment, writer.ApplyAsync, cancellationToken);
            await ApplyIfChangedAsync(service, desired.Service, cache.Services.Get(key), writer.ApplyAsync, cancellationToken);
            await ApplyIfChangedAsync(service, desired.PodDisruptionBudget, cache.PodDisruptionBudgets.Get(key), writer.ApplyAsync, cancellationToken);
            foreach (var name in PodEnvironment.OverriddenUserVariables(service.Spec))
            {
                await events.WarningAsync(service, "EnvIgnored", $"spec.env '{name}' is set by the operator from the spec and was ignored.", cancellationToken);
            }
        }
        else
        {
            await events.WarningAsync(service, ConditionReasons.InvalidSpec, string.Join("; ", errors), cancellationToken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var status = StatusBuilder.Build(new StatusInputs(service, deployment, cache.PodsOf(service), errors, now), settings);
        if (service.Spec.Autoscaling.Mode == AutoscalingMode.Builtin && autoscaler.Find(key)?.Published is { } published)
        {
            var scaling = AutoscalingStatusPolicy.Apply(status, published, service.Metadata.Generation);
            ConditionSet.Set(status.Conditions!, scaling, new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc));
        }
        if (StatusBuilder.Changed(service.Status, status))
        {
            await writer.PatchStatusAsync(service, status, cancellationToken);
            await RecordTransitionsAsync(service, service.Status, status, cancellationToken);
        }
        return errors.Count == 0 ? "success" : "invalid";
    }

    private async Task<T> ApplyIfChangedAsync<T>(InferenceService service, T desired, T? observed, Func<T, CancellationToken, Task<T>> apply, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var drifted = false;
        if (!DesiredHash.NeedsApply(desired, observed))
        {
            drifted = DesiredHash.ChangedOutOfBand(observed!.Metadata.Generation, _applied.Get(observed));
            if (!drifted)
            {
                _applied.RecordIfAbsent(observed);
                return observed;
            }
        }
        var applied = await apply(desired, cancellationToken);
        _applied.Record(applied);
        if (drifted)
        {
            await events.WarningAsync(service, "Restored",
                $"{desired.Kind} {desired.Metadata.Name} was changed outside the operator (generation {observed!.Metadata.Generation}); its spec was applied again", cancellationToken);
        }
        else
        {
            var verb = observed is null ? "Created" : "Updated";
            await events.NormalAsync(service, verb, $"{verb} {desired.Kind} {desired.Metadata.Name}", cancellationToken);
        }
        return applied;
    }

    /// <summary>An event for each condition whose status or reason changed, so `kubectl describe` tells the story.</summary>
    private async Task RecordTransitionsAsync(InferenceService service, InferenceServiceStatus? before, InferenceServiceStatus after, CancellationToken cancellationToken)
    {
        foreach (var condition in after.Conditions ?? [])
        {
            var previous = ConditionSet.Find(before?.Conditions, condition.Type);
            if (previous is not null && previous.Status == condition.Status && previous.Reason == condition.Reason) continue;
            var warning = condition.Type == ConditionTypes.Degraded ? condition.Status == ConditionStatus.True
                : condition.Type == ConditionTypes.Ready && condition.Status == ConditionStatus.False && previous is not null;
            var message = $"{condition.Type}={condition.Status}: {condition.Message}";
            if (warning) await events.WarningAsync(service, condition.Reason, message, cancellationToken);
            else if (condition.Status == ConditionStatus.True) await events.NormalAsync(service, condition.Reason, message, cancellationToken);
        }
    }
}
