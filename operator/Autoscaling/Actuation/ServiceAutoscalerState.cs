using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.Operator.Autoscaling.Actuation;

/// <summary>What the autoscaler remembers of one service between rounds (in memory; a new leader starts afresh).</summary>
public sealed class ServiceAutoscalerState
{
    public PodScrapeHistory Scrapes { get; set; } = PodScrapeHistory.Empty;
    public ScalingHistory? History { get; set; }
    public DateTimeOffset NextRound { get; set; }
    public ScalingDecision? LastDecision { get; set; }
    public ScalingSignals? LastSignals { get; set; }
    public DateTimeOffset LastDecisionTime { get; set; }
    /// <summary>The status last published for `kubectl describe` (see <see cref="AutoscalingStatusPolicy"/>).</summary>
    public AutoscalingSnapshot? Published { get; set; }
}
