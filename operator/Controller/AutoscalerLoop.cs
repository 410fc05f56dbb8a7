using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling.Actuation;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Scraping;
using Platform.Operator.Autoscaling.Signals;
using Platform.Operator.Reconciliation;
using Platform.Operator.Runtime;
using PodState = Platform.Operator.Autoscaling.Signals.PodState;

namespace Platform.Operator.Controller;

/// <summary>
/// The builtin autoscaler's loop. For each InferenceService in Builtin mode whose round is
/// due: scrape every ready pod (concurrently; one pod's failure never blocks the others and
/// only makes it count as missing), compute the signals, ask <see cref="ScalingPolicy"/>, and
/// hand a changed replica count to reconcile through the work queue. Nothing here writes to
/// the API except events.
/// </summary>
public sealed class AutoscalerLoop(
    ClusterCache cache,
    WorkQueue<string> queue,
    AutoscalerRegistry registry,
    PodMetricsScraper scraper,
    EventRecorder events,
    OperatorMetrics metrics,
    TimeProvider time,
    ILogger<AutoscalerLoop> logger,
    TimeSpan tick)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = time.GetUtcNow();
                var due = new List<Task>();
                var live = new HashSet<string>();
                foreach (var service in cache.InferenceServices.Items)
                {
                    var key = ObjectKey.Of(service.Metadata);
                    if (service.Spec.Autoscaling.Mode != AutoscalingMode.Builtin || service.Metadata.DeletionTimestamp is not null) continue;
                    live.Add(key);
                    var state = registry.For(key);
                    if (now < state.NextRound) continue;
                    state.NextRound = now + AutoscalerSettingsFactory.Signals(service.Spec.Autoscaling).ScrapeInterval;
                    due.Add(RoundAsync(service, key, state, cancellationToken));
                }
                foreach (var gone in registry.Keys.Where(k => !live.Contains(k)).ToList()) registry.Remove(gone);
                await Task.WhenAll(due);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RoundAsync(InferenceService service, string key, ServiceAutoscalerState state, CancellationToken cancellationToken)
    {
        try
        {
            await DecideAsync(service, key, state, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A round that fails leaves the replica count as it is; the next round tries again.
            logger.LogWarning(e, "Autoscaling round for {Key} failed", key);
        }
    }

    private async Task DecideAsync(InferenceService service, string key, ServiceAutoscalerState state, CancellationToken cancellationToken)
    {
        if (SpecValidator.Validate(service).Count > 0) return;
        var deployment = cache.Deployments.Get(key);
        if (deployment?.Spec?.Replicas is not { } current) return;
        var signalSettings = AutoscalerSettingsFactory.Signals(service.Spec.Autoscaling);
        var pods = cache.PodsOf(service).Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        // Rising load is projected over the time a new pod of this service takes to turn ready.
        var policySettings = AutoscalerSettingsFactory.Policy(service.Spec.Autoscaling) with { ScaleUpLeadTime = PodStartTime.Median(pods) ?? TimeSpan.Zero };

        var ready = pods.Where(IsReady).ToList();
        var scrapes = await Task.WhenAll(ready.Select(pod => ScrapeAsync(service, pod, cancellationToken)));
        var now = time.GetUtcNow();
        var history = state.Scrapes.RetainOnly(pods.Select(p => p.Metadata.Name));
        foreach (var snapshot in scrapes)
        {
            if (snapshot is not null) history = history.Record(snapshot, signalSettings.Retention);
        }
        state.Scrapes = history;

        var signals = SignalCalculator.Compute(now, pods.Select(p => new PodState(p.Metadata.Name, IsReady(p))).ToList(), history, signalSettings);
        var decision = ScalingPolicy.Decide(now, current, signals, state.History ?? ScalingHistory.StartingAt(now, current), policySettings);
        var changed = state.LastDecision?.DesiredReplicas != decision.DesiredReplicas;
        state.History = decision.History;
        state.LastSignals = signals;
        state.LastDecision = decision;
        if (changed) state.LastDecisionTime = now;
        metrics.ObserveAutoscaler(service.Metadata.NamespaceProperty, service.Metadata.Name, signals, decision);

        var snapshotView = AutoscalingStatusPolicy.Snapshot(now, signals, decision, state.LastDecisionTime == default ? now : state.LastDecisionTime);
        var publish = AutoscalingStatusPolicy.ShouldPublish(state.Published, snapshotView);
        if (publish) state.Published = snapshotView;
        if (decision.DesiredReplicas != current)
        {
            await events.NormalAsync(service, "Scaled", $"Scaling from {current} to {decision.DesiredReplicas} replicas: {decision.Message}", cancellationToken);
            logger.LogInformation("Scaling {Key} from {Current} to {Desired}: {Reason} ({Message})", key, current, decision.DesiredReplicas, decision.Reason, decision.Message);
        }
        if (decision.DesiredReplicas != current || publish) queue.Add(key);
    }

    private async Task<PodMetricsSnapshot?> ScrapeAsync(InferenceService service, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            return await scraper.ScrapeAsync(pod, cancellationToken);
        }
        catch (ScrapeException e)
        {
            metrics.CountScrapeError(service.Metadata.NamespaceProperty, service.Metadata.Name);
            await events.WarningAsync(service, "MetricsUnavailable", $"Skipped {e.Message}; it counts as missing, so no scale-down this round.", cancellationToken);
            return null;
        }
    }

    private static bool IsReady(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null &&
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
