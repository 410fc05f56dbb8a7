using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling.Actuation;
using Platform.Operator.Autoscaling.Scraping;
using Platform.Operator.Controller;
using Platform.Operator.Reconciliation;
using Platform.Operator.Runtime;

namespace Platform.Operator.Autoscaling;

/// <summary>
/// The builtin autoscaler's loop. For each InferenceService in Builtin mode whose round is
/// due: scrape every ready pod (concurrently; one pod's failure never blocks the others and
/// only makes it count as missing), run <see cref="AutoscalerRound"/>, record its events and
/// log lines, and hand a changed replica count to reconcile through the work queue. Nothing
/// here writes to the API except events.
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
                await TickAsync(time.GetUtcNow(), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs the rounds that are due at <paramref name="now"/> and forgets services that are gone.</summary>
    public async Task TickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = new List<Task>();
        var live = new HashSet<string>();
        foreach (var service in cache.InferenceServices.Items)
        {
            var key = ObjectKey.Of(service.Metadata);
            if (service.Spec.Autoscaling.Mode != AutoscalingMode.Builtin || service.Metadata.DeletionTimestamp is not null) continue;
            live.Add(key);
            var state = registry.For(key);
            var interval = AutoscalerSettingsFactory.Signals(service.Spec.Autoscaling).ScrapeInterval;
            // A round due more than an interval ahead means the clock stepped back: run it now.
            if (now < state.NextRound && state.NextRound - now <= interval) continue;
            state.NextRound = now + interval;
            due.Add(RoundAsync(service, key, state, cancellationToken));
        }
        foreach (var gone in registry.Keys.Where(k => !live.Contains(k)).ToList()) registry.Remove(gone);
        await Task.WhenAll(due);
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
        var pods = cache.PodsOf(service).Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        var scrapes = await Task.WhenAll(pods.Where(AutoscalerRound.IsReady).Select(pod => ScrapeAsync(service, pod, cancellationToken)));
        var outcome = AutoscalerRound.Run(state, time.GetUtcNow(), service, current, pods, scrapes);
        metrics.ObserveAutoscaler(service.Metadata.NamespaceProperty, service.Metadata.Name, outcome.Signals, outcome.Decision);
        foreach (var line in outcome.Warnings) logger.LogWarning("{Line}", line);
        foreach (var e in outcome.Events)
        {
            if (e.Warning) await events.WarningAsync(service, e.Reason, e.Message, cancellationToken);
            else await events.NormalAsync(service, e.Reason, e.Message, cancellationToken);
        }
        if (outcome.Decision.DesiredReplicas != current)
        {
            logger.LogInformation("Scaling {Key} from {Current} to {Desired}: {Reason} ({Message})", key, current, outcome.Decision.DesiredReplicas, outcome.Decision.Reason, outcome.Decision.Message);
        }
        if (outcome.Decision.DesiredReplicas != current || outcome.Publish) queue.Add(key);
    }

    private async Task<PodScrape> ScrapeAsync(InferenceService service, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            return PodScrape.Succeeded(await scraper.ScrapeAsync(pod, cancellationToken));
        }
        catch (ScrapeException e)
        {
            metrics.CountScrapeError(service.Metadata.NamespaceProperty, service.Metadata.Name);
            return PodScrape.Failed(e.Pod, e.Reason);
        }
    }
}
