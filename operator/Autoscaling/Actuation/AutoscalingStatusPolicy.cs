using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Signals;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Autoscaling.Actuation;

/// <summary>What the status shows of the autoscaler: signals, the last decision and whether scaling is active.</summary>
public sealed record AutoscalingSnapshot(
    DateTime ScrapeTime, int ScrapedReplicas, double QueueDepth, double? P95LatencySeconds,
    int DecisionReplicas, string DecisionReason, string DecisionMessage, DateTime DecisionTime, bool SignalsValid, bool Limited)
{
    /// <summary>Ready, not ready and unmeasured pods: not shown, but a change means the message's facts changed.</summary>
    public (int Ready, int NotReady, int Missing) Pods { get; init; }
}

/// <summary>
/// When the autoscaler's view goes into status: at once when the decision changes, otherwise
/// when the signals moved noticeably and the last publication is old enough. Under steady
/// load nothing is written; the status is a view for humans, the metrics carry the series.
/// </summary>
public static class AutoscalingStatusPolicy
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(30);

    /// <summary>ScalingActive's reasons: no usable metrics; at the minimum or maximum.</summary>
    public const string NoMetricsReason = "NoMetrics";
    public const string LimitedReason = "ScalingLimited";

    public static AutoscalingSnapshot Snapshot(DateTimeOffset now, ScalingSignals signals, ScalingDecision decision, DateTimeOffset decisionTime) => new(
        Seconds(now),
        signals.MeasuredPods,
        Math.Round(signals.QueueDepth, 2),
        signals.Stable.LatencyQuantileSeconds is { } p95 && double.IsFinite(p95) ? Math.Round(p95, 4) : null,
        decision.DesiredReplicas,
        decision.Reason.ToString(),
        decision.Message,
        Seconds(decisionTime),
        decision.SignalsValid,
        decision.Reason is ScalingReason.LimitedByMaximum or ScalingReason.LimitedByMinimum)
    {
        Pods = (signals.ReadyPods, signals.NotReadyPods, signals.MissingPods.Length),
    };

    /// <summary>Pod counts of a snapshot read back from status, which does not store them.</summary>
    public static readonly (int Ready, int NotReady, int Missing) UnknownPods = (-1, -1, -1);

    public static bool ShouldPublish(AutoscalingSnapshot? published, AutoscalingSnapshot next)
    {
        if (published is null) return true;
        if (published.DecisionReplicas != next.DecisionReplicas || published.DecisionReason != next.DecisionReason
            || published.SignalsValid != next.SignalsValid || published.Limited != next.Limited) return true;
        // Without valid signals the message is all the status says: keep its pod counts true.
        if (!next.SignalsValid && !SamePods(published, next)) return true;
        if (next.ScrapeTime - published.ScrapeTime < MinimumInterval) return false;
        return Moved(published.QueueDepth, next.QueueDepth) || Moved(published.P95LatencySeconds ?? 0, next.P95LatencySeconds ?? 0)
            || published.ScrapedReplicas != next.ScrapedReplicas || !SamePods(published, next);
    }

    /// <summary>
    /// What an earlier leader published, read back from the stored status, so that a new leader
    /// publishes only what differs from it; null when the status holds no complete decision.
    /// </summary>
    public static AutoscalingSnapshot? FromStatus(InferenceServiceStatus? status)
    {
        if (status?.Autoscaling is not { LastScrapeTime: { } scraped, LastDecision: { Time: { } decided } decision } stored
            || ConditionSet.Find(status.Conditions, ConditionTypes.ScalingActive) is not { } condition)
        {
            return null;
        }

        return new AutoscalingSnapshot(
            Utc(scraped), stored.ScrapedReplicas ?? 0, stored.QueueDepth ?? 0, stored.P95LatencySeconds,
            decision.Replicas, decision.Reason, decision.Message ?? string.Empty, Utc(decided),
            SignalsValid: condition.Reason != NoMetricsReason, Limited: condition.Reason == LimitedReason)
        {
            Pods = UnknownPods,
        };
    }

    /// <summary>
    /// Pod counts match; counts read back from status are unknown, and then the message (which,
    /// without valid signals, states the counts) decides.
    /// </summary>
    private static bool SamePods(AutoscalingSnapshot published, AutoscalingSnapshot next) =>
        published.Pods == next.Pods
        || (published.Pods == UnknownPods && (next.SignalsValid || published.DecisionMessage == next.DecisionMessage));

    private static DateTime Utc(DateTime time) => time.Kind == DateTimeKind.Utc ? time : DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc);

    /// <summary>Writes the snapshot into a status being built: status.autoscaling and the ScalingActive condition.</summary>
    public static V1Condition Apply(InferenceServiceStatus status, AutoscalingSnapshot snapshot, long? generation)
    {
        status.Autoscaling = new AutoscalingStatus
        {
            LastScrapeTime = snapshot.ScrapeTime,
            ScrapedReplicas = snapshot.ScrapedReplicas,
            QueueDepth = snapshot.QueueDepth,
            P95LatencySeconds = snapshot.P95LatencySeconds,
            LastDecision = new ScalingDecisionStatus
            {
                Replicas = snapshot.DecisionReplicas,
                Reason = snapshot.DecisionReason,
                Message = snapshot.DecisionMessage,
                Time = snapshot.DecisionTime,
            },
        };
        var (state, reason, message) = !snapshot.SignalsValid
            ? (ConditionStatus.False, NoMetricsReason, $"No usable metrics from the pods: {snapshot.DecisionMessage}")
            : snapshot.Limited
                ? (ConditionStatus.True, LimitedReason, snapshot.DecisionMessage)
                : (ConditionStatus.True, "ValidMetrics", snapshot.DecisionMessage);
        return new V1Condition
        {
            Type = ConditionTypes.ScalingActive,
            Status = state,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = snapshot.ScrapeTime,
        };
    }

    private static bool Moved(double before, double after) => Math.Abs(after - before) > Math.Max(0.5, 0.2 * Math.Abs(before));

    private static DateTime Seconds(DateTimeOffset time) => new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}
