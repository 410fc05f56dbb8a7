using System.Globalization;
using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Signals;
using PodState = Platform.Operator.Autoscaling.Signals.PodState;

namespace Platform.Operator.Autoscaling.Actuation;

/// <summary>One pod's scrape this round: a snapshot, or why there is none.</summary>
public sealed record PodScrape(string Pod, PodMetricsSnapshot? Snapshot, string? Error)
{
    public static PodScrape Succeeded(PodMetricsSnapshot snapshot) => new(snapshot.PodName, snapshot, null);

    public static PodScrape Failed(string pod, string error) => new(pod, null, error);
}

/// <summary>An event the round asks to be recorded on the InferenceService.</summary>
public sealed record RoundEvent(bool Warning, string Reason, string Message);

/// <summary>What one round decided and what the loop must do about it.</summary>
/// <param name="Publish">Whether the status snapshot changed enough to be written.</param>
/// <param name="Events">Events to record, in order.</param>
/// <param name="Warnings">Lines to log at Warning (scrape failures, rate-limited per pod; a clock step back).</param>
public sealed record RoundOutcome(
    ScalingSignals Signals,
    ScalingDecision Decision,
    bool Publish,
    IReadOnlyList<RoundEvent> Events,
    IReadOnlyList<string> Warnings);

/// <summary>
/// One autoscaling round of one service, without I/O: the scrapes come in, the state is
/// updated, and the decision, the events to record and the lines to log go out. The loop
/// around it only scrapes, records and logs.
/// </summary>
public static class AutoscalerRound
{
    /// <summary>How often a pod whose scrapes keep failing is logged and reported again.</summary>
    public static readonly TimeSpan RepeatScrapeWarningAfter = TimeSpan.FromMinutes(5);

    /// <summary>The label the Deployment controller gives pods of one template.</summary>
    public const string TemplateHashLabel = "pod-template-hash";

    public static RoundOutcome Run(
        ServiceAutoscalerState state,
        DateTimeOffset now,
        InferenceService service,
        int currentReplicas,
        IReadOnlyList<V1Pod> pods,
        IReadOnlyList<PodScrape> scrapes)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(scrapes);
        var warnings = new List<string>();
        var events = new List<RoundEvent>();
        var key = $"{service.Metadata.NamespaceProperty}/{service.Metadata.Name}";

        if (state.LastRound is { } last && now < last)
        {
            // Windows, panic and step limits are all measured against the clock; once it has
            // stepped back they would hold or release at the wrong times, so start over as a
            // new leader does.
            warnings.Add($"Autoscaler for {key}: the clock stepped back by {(last - now).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s; its scaling history starts over");
            state.History = null;
        }

        else if (state.LastRound is null)
        {
            StartFromStatus(state, service.Status);
        }

        state.LastRound = now;
        var spec = service.Spec.Autoscaling;
        var signalSettings = AutoscalerSettingsFactory.Signals(spec);
        var policySettings = AutoscalerSettingsFactory.Policy(spec) with
        {
            // Load is forecast over the time a new pod of this service takes to turn ready, plus one scrape.
            ScaleUpLeadTime = AutoscalerSettingsFactory.LeadTime(PodStartTime.P90(pods), signalSettings.ScrapeInterval),
            PodVersion = PodVersion(pods),
            Batcher = AutoscalerSettingsFactory.Batcher(service.Spec.Serving),
        };

        var history = state.Scrapes.RetainOnly(pods.Select(p => p.Metadata.Name));
        var failures = new List<PodScrape>();
        foreach (var scrape in scrapes)
        {
            if (scrape.Snapshot is { } snapshot)
            {
                history = history.Record(snapshot, signalSettings.Retention);
            }
            else
            {
                failures.Add(scrape);
            }
        }

        state.Scrapes = history;
        ReportFailures(state, now, key, failures, pods, warnings, events);

        var podStates = pods.Select(p => new PodState(p.Metadata.Name, IsReady(p))).ToList();
        var signals = SignalCalculator.Compute(now, podStates, history, signalSettings);
        var decision = ScalingPolicy.Decide(now, currentReplicas, signals, state.History ?? ScalingHistory.StartingAt(now, currentReplicas), policySettings);
        if (!decision.SignalsValid && failures.Count > 0)
        {
            decision = decision with { Message = decision.Message + "; scrapes failed: " + Summarize(failures) };
        }

        var changed = (state.LastDecision?.DesiredReplicas ?? state.Published?.DecisionReplicas) != decision.DesiredReplicas;
        state.History = decision.History;
        state.LastSignals = signals;
        state.LastDecision = decision;
        if (changed || state.LastDecisionTime == default)
        {
            state.LastDecisionTime = now;
        }

        var snapshot2 = AutoscalingStatusPolicy.Snapshot(now, signals, decision, state.LastDecisionTime);
        var publish = AutoscalingStatusPolicy.ShouldPublish(state.Published, snapshot2);
        if (publish)
        {
            state.Published = snapshot2;
        }

        if (decision.DesiredReplicas != currentReplicas)
        {
            events.Add(new RoundEvent(false, "Scaled", $"Scaling from {currentReplicas} to {decision.DesiredReplicas} replicas: {decision.Message}"));
        }

        NoteIgnoredReplicas(state, service, decision, events);
        return new RoundOutcome(signals, decision, publish, events, warnings);
    }

    /// <summary>
    /// A service's first round in this process (a new leader, or the operator restarted) starts
    /// from what the stored status shows: the published snapshot and the decision's time, so an
    /// unchanged view is not written again, and, when the status already says that no pod gives
    /// metrics, the scrape failures behind it are not announced again.
    /// </summary>
    private static void StartFromStatus(ServiceAutoscalerState state, InferenceServiceStatus? status)
    {
        if (state.Published is not null || AutoscalingStatusPolicy.FromStatus(status) is not { } stored)
        {
            return;
        }

        state.Published = stored;
        state.LastDecisionTime = new DateTimeOffset(stored.DecisionTime, TimeSpan.Zero);
        state.FailuresAnnounced = !stored.SignalsValid;
    }

    /// <summary>
    /// <c>kubectl scale infsvc</c> writes spec.replicas through the scale subresource; in
    /// Builtin mode the autoscaler owns the count, so the write is accepted and has no
    /// effect. Say so once per value written.
    /// </summary>
    private static void NoteIgnoredReplicas(ServiceAutoscalerState state, InferenceService service, ScalingDecision decision, List<RoundEvent> events)
    {
        if (service.Spec.Replicas is not { } asked)
        {
            state.IgnoredReplicas = null;
            return;
        }

        if (asked == decision.DesiredReplicas || state.IgnoredReplicas == asked)
        {
            return;
        }

        state.IgnoredReplicas = asked;
        events.Add(new RoundEvent(false, "ReplicasIgnored",
            $"spec.replicas={asked} has no effect in autoscaling mode Builtin: the autoscaler sets the count (now {decision.DesiredReplicas}, between minReplicas {service.Spec.Autoscaling.MinReplicas} and maxReplicas {service.Spec.Autoscaling.MaxReplicas}). Set spec.autoscaling.mode to Off to scale by hand, or change minReplicas/maxReplicas."));
    }

    private static void ReportFailures(
        ServiceAutoscalerState state, DateTimeOffset now, string key, List<PodScrape> failures, IReadOnlyList<V1Pod> pods, List<string> warnings, List<RoundEvent> events)
    {
        foreach (var gone in state.ScrapeWarnedAt.Keys.Where(p => pods.All(x => x.Metadata.Name != p)).ToList())
        {
            state.ScrapeWarnedAt.Remove(gone);
        }

        // The condition the stored status shows (no metrics) has not changed: nothing to announce.
        var announced = state.FailuresAnnounced;
        state.FailuresAnnounced = false;
        var due = new List<PodScrape>();
        foreach (var failure in failures)
        {
            if (state.ScrapeWarnedAt.TryGetValue(failure.Pod, out var warned) && now - warned < RepeatScrapeWarningAfter && now >= warned)
            {
                continue;
            }

            state.ScrapeWarnedAt[failure.Pod] = now;
            if (!announced) due.Add(failure);
            warnings.Add($"Autoscaler for {key}: scrape of pod {failure.Pod} failed: {failure.Error} (it counts as missing: no scale-down while it lasts; repeated at most every {RepeatScrapeWarningAfter.TotalMinutes:0} min)");
        }

        if (due.Count > 0)
        {
            events.Add(new RoundEvent(true, "MetricsUnavailable", $"No metrics from {Summarize(due)}; they count as missing, so no scale-down while it lasts."));
        }
    }

    private static string Summarize(IReadOnlyList<PodScrape> failures)
    {
        const int shown = 3;
        var text = string.Join("; ", failures.Take(shown).Select(f => $"pod {f.Pod}: {f.Error}"));
        return failures.Count > shown ? text + $"; and {failures.Count - shown} more" : text;
    }

    /// <summary>The template hash all pods share, or null while they differ (a rollout) or carry none.</summary>
    public static string? PodVersion(IEnumerable<V1Pod> pods)
    {
        var hashes = pods.Select(p => p.Metadata.Labels is { } labels && labels.TryGetValue(TemplateHashLabel, out var hash) ? hash : null).Distinct().ToList();
        return hashes.Count == 1 ? hashes[0] : null;
    }

    public static bool IsReady(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null &&
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
