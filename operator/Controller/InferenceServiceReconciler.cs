using System.Runtime.ExceptionServices;
using k8s;
using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling.Actuation;
using Platform.Operator.Reconciliation;
using Platform.Operator.Runtime;

namespace Platform.Operator.Controller;

/// <summary>
/// Level-based reconcile of one InferenceService: read it and what it owns from the caches,
/// compute the desired objects and status with the pure functions of Reconciliation/, and
/// write only what differs. An invalid spec, or one the cluster cannot run, is reported
/// (conditions and events) and not retried. A write the API server refuses is reported too
/// (Degraded, reason ApplyFailed, and a Warning event) and retried: a server error with
/// back-off, a refusal of the request itself after <see cref="RefusedRetry"/> or on the next
/// change. Conflicts and throttling propagate, so the work queue retries them.
/// </summary>
public sealed class InferenceServiceReconciler(
    ClusterCache cache,
    ClusterWriter writer,
    EventRecorder events,
    ReconcileSettings settings,
    AutoscalerRegistry autoscaler,
    ServerCapabilities cluster,
    TimeProvider time) : IReconciler
{
    /// <summary>When a refused request (4xx) is tried again without any change to the InferenceService (a fix may be outside it: RBAC, quota, admission).</summary>
    public static readonly TimeSpan RefusedRetry = TimeSpan.FromMinutes(1);

    private readonly AppliedGenerations _applied = new();

    /// <summary>Requests refused (4xx) by object: the same desired object is not sent again before its retry time.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RefusedApply> _refused = new(StringComparer.Ordinal);

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var service = cache.InferenceServices.Get(key);
        if (service is null || service.Metadata.DeletionTimestamp is not null)
        {
            // Deleted: owner references let the garbage collector remove what it owned.
            var (ns, name) = ObjectKey.Split(key);
            _applied.Forget(ns, name);
            foreach (var refusedKey in _refused.Keys.Where(k => k.EndsWith($"/{key}", StringComparison.Ordinal)).ToList()) _refused.TryRemove(refusedKey, out _);
            return ReconcileResult.Deleted;
        }
        var errors = SpecValidator.Validate(service);
        var clusterProblem = errors.Count == 0 ? cluster.Current.ModelSourceProblem(service.Spec) : null;
        var deployment = cache.Deployments.Get(key);
        WriteRefusedException? refused = null;
        if (errors.Count == 0 && clusterProblem is null)
        {
            try
            {
                deployment = await ApplyAsync(service, key, deployment, cancellationToken);
            }
            catch (WriteRefusedException e)
            {
                refused = e;
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        var status = StatusBuilder.Build(
            new StatusInputs(service, deployment, cache.PodsOf(service), errors, now, clusterProblem, refused?.Message), settings);
        if (service.Spec.Autoscaling.Mode == AutoscalingMode.Builtin && autoscaler.Find(key)?.Published is { } published)
        {
            var scaling = AutoscalingStatusPolicy.Apply(status, published, service.Metadata.Generation);
            ConditionSet.Set(status.Conditions!, scaling, new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc));
        }
        if (StatusBuilder.Changed(service.Status, status))
        {
            await PatchStatusAsync(service, status, now, cancellationToken);
            await RecordTransitionsAsync(service, service.Status, status, cancellationToken);
        }

        if (refused is not null)
        {
            // A server error may pass: retry with back-off. A refused request needs a change.
            if (refused.InnerException is { } serverError) ExceptionDispatchInfo.Throw(serverError);
            return ReconcileResult.Refused(RefusedRetry);
        }
        return errors.Count > 0 || clusterProblem is not null ? ReconcileResult.Invalid : ReconcileResult.Success;
    }

    /// <summary>Applies the Deployment, Service and PodDisruptionBudget where they differ; returns the Deployment as it now is.</summary>
    private async Task<V1Deployment?> ApplyAsync(InferenceService service, string key, V1Deployment? deployment, CancellationToken cancellationToken)
    {
        var replicas = ReplicaPolicy.DesiredReplicas(service.Spec, autoscaler.DesiredReplicas(key), deployment?.Spec?.Replicas);
        var desired = DesiredStateBuilder.Build(service, settings, replicas, cluster.Current);
        var (applied, changed) = await ApplyIfChangedAsync(service, desired.Deployment, deployment, writer.ApplyAsync, cancellationToken);
        await ApplyIfChangedAsync(service, desired.Service, cache.Services.Get(key), writer.ApplyAsync, cancellationToken);
        await ApplyIfChangedAsync(service, desired.PodDisruptionBudget, cache.PodDisruptionBudgets.Get(key), writer.ApplyAsync, cancellationToken);
        if (changed)
        {
            // Said when the pod template is written, not on every reconcile (nor again by a new leader).
            foreach (var name in PodEnvironment.OverriddenUserVariables(service.Spec))
            {
                await events.WarningAsync(service, "EnvIgnored", $"spec.env '{name}' is set by the operator from the spec and was ignored.", cancellationToken);
            }
        }
        return applied;
    }

    private async Task<(T Object, bool Applied)> ApplyIfChangedAsync<T>(InferenceService service, T desired, T? observed, Func<T, CancellationToken, Task<T>> apply, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var drifted = false;
        if (!DesiredHash.NeedsApply(desired, observed))
        {
            drifted = DesiredHash.ChangedOutOfBand(observed!.Metadata.Generation, _applied.Get(observed));
            if (!drifted)
            {
                _applied.RecordIfAbsent(observed);
                return (observed, false);
            }
        }
        // A request the server refused is not sent again unchanged until its retry time (its own
        // status write and the watch events after it would otherwise send it at once).
        var objectKey = $"{desired.Kind}/{ObjectKey.Of(desired.Metadata)}";
        var hash = DesiredHash.Of(desired);
        var now = time.GetUtcNow();
        if (_refused.TryGetValue(objectKey, out var earlier) && earlier.Hash == hash && now < earlier.RetryAt)
        {
            throw new WriteRefusedException(earlier.Message, null);
        }
        T applied;
        try
        {
            applied = await apply(desired, cancellationToken);
        }
        catch (Exception e) when (ApiRefusal.Describe(e, $"Applying {desired.Kind} {desired.Metadata.Name}") is { } refusal)
        {
            var message = refusal + ModelSourceHint(service, refusal);
            if (ApiRefusal.IsServerSide(e)) throw new WriteRefusedException(message, e);
            _refused[objectKey] = new RefusedApply(hash, message, now + RefusedRetry);
            throw new WriteRefusedException(message, null);
        }
        _refused.TryRemove(objectKey, out _);
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
        return (applied, true);
    }

    /// <summary>
    /// Image volumes on a server new enough but with the feature gate off: the server drops or
    /// refuses the volume, naming it, not the gate; say what the volume needs.
    /// </summary>
    private static string ModelSourceHint(InferenceService service, string refusal) =>
        service.Spec.Model.Source.Image is not null && refusal.Contains("volumes", StringComparison.Ordinal)
            ? $" (spec.model.source.image needs image volumes: Kubernetes {ClusterCapabilities.ImageVolumesSince}+ with the ImageVolume feature gate on)"
            : "";

    /// <summary>
    /// Writes the status. When the server refuses it, the refusal is an event, and a status of
    /// only the previous one plus Degraded=ApplyFailed is tried, so `kubectl get` shows it too.
    /// </summary>
    private async Task PatchStatusAsync(InferenceService service, InferenceServiceStatus status, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            await writer.PatchStatusAsync(service, status, cancellationToken);
        }
        catch (Exception e) when (ApiRefusal.Describe(e, "Writing the status") is { } refusal)
        {
            await events.WarningAsync(service, ConditionReasons.ApplyFailed, refusal, cancellationToken);
            var fallback = new InferenceServiceStatus
            {
                ObservedGeneration = service.Status?.ObservedGeneration,
                Conditions = [.. (service.Status?.Conditions ?? []).Select(c => c with { })],
            };
            ConditionSet.Set(fallback.Conditions, new V1Condition
            {
                Type = ConditionTypes.Degraded,
                Status = ConditionStatus.True,
                Reason = ConditionReasons.ApplyFailed,
                Message = refusal,
                ObservedGeneration = service.Metadata.Generation,
            }, new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc));
            try
            {
                await writer.PatchStatusAsync(service, fallback, cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The event and the retry of the whole reconcile carry it.
            }
            throw;
        }
    }

    /// <summary>
    /// An event for each condition whose status or reason changed (and for a problem whose
    /// message changed), so `kubectl describe` tells the story. Only changes against the stored
    /// status count, so a new leader that finds the status as it would write it says nothing.
    /// </summary>
    private async Task RecordTransitionsAsync(InferenceService service, InferenceServiceStatus? before, InferenceServiceStatus after, CancellationToken cancellationToken)
    {
        foreach (var condition in after.Conditions ?? [])
        {
            var previous = ConditionSet.Find(before?.Conditions, condition.Type);
            var degraded = condition.Type == ConditionTypes.Degraded && condition.Status == ConditionStatus.True;
            if (previous is not null && previous.Status == condition.Status && previous.Reason == condition.Reason
                && (!degraded || previous.Message == condition.Message)) continue;
            var warning = degraded || (condition.Type == ConditionTypes.Ready && condition.Status == ConditionStatus.False && previous is not null);
            var message = $"{condition.Type}={condition.Status}: {condition.Message}";
            if (warning) await events.WarningAsync(service, condition.Reason, message, cancellationToken);
            else if (condition.Status == ConditionStatus.True) await events.NormalAsync(service, condition.Reason, message, cancellationToken);
        }
    }

    /// <summary>An apply the API server refused; the message says what and why, for the Degraded condition.</summary>
    /// <param name="serverError">The server-side failure to retry with back-off; null for a refused request.</param>
    private sealed class WriteRefusedException(string message, Exception? serverError) : Exception(message, serverError);

    private sealed record RefusedApply(string? Hash, string Message, DateTimeOffset RetryAt);
}
