using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.Operator.Autoscaling.Actuation;

/// <summary>
/// What the autoscaler remembers of one service between rounds (in memory). A new leader
/// starts with the scaling history afresh, but from what the stored status shows (see
/// <see cref="AutoscalerRound"/>), so it writes and announces only what changed.
/// </summary>
public sealed class ServiceAutoscalerState
{
    public PodScrapeHistory Scrapes { get; set; } = PodScrapeHistory.Empty;
    public ScalingHistory? History { get; set; }
    public DateTimeOffset NextRound { get; set; }
    public ScalingDecision? LastDecision { get; set; }
    public ScalingSignals? LastSignals { get; set; }
    public DateTimeOffset LastDecisionTime { get; set; }
    /// <summary>The time of the last round, to notice the clock stepping back.</summary>
    public DateTimeOffset? LastRound { get; set; }
    /// <summary>When each pod's failed scrape was last logged and reported (rate limit).</summary>
    public Dictionary<string, DateTimeOffset> ScrapeWarnedAt { get; } = new(StringComparer.Ordinal);
    /// <summary>The spec.replicas value already reported as ignored in Builtin mode.</summary>
    public int? IgnoredReplicas { get; set; }
    /// <summary>The status last published for `kubectl describe` (see <see cref="AutoscalingStatusPolicy"/>).</summary>
    public AutoscalingSnapshot? Published { get; set; }
    /// <summary>
    /// Set by the first round of a new leader whose stored status already says the pods give
    /// no usable metrics: that round's scrape failures were announced by the earlier leader.
    /// </summary>
    public bool FailuresAnnounced { get; set; }
}
