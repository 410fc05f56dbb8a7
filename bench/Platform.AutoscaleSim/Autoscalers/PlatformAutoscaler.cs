using Platform.AutoscaleSim.Cluster;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Prometheus;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.AutoscaleSim.Autoscalers;

/// <summary>
/// The operator's autoscaler: every scrape interval it renders each ready pod's /metrics
/// text, parses it with the operator's parser, keeps the scrape history, computes the
/// signals and calls the same <see cref="ScalingPolicy.Decide"/> the operator calls.
/// </summary>
public sealed class PlatformAutoscaler(string name, AutoscalerSettings settings, SignalSettings signalSettings) : IAutoscaler
{
    private PodScrapeHistory _scrapes = PodScrapeHistory.Empty;
    private ScalingHistory _history = ScalingHistory.Empty;

    public string Name { get; } = name;

    public double IntervalSeconds => signalSettings.ScrapeInterval.TotalSeconds;

    /// <summary>How often each reason shaped a decision, for the report.</summary>
    public Dictionary<ScalingReason, int> Reasons { get; } = [];

    public int PanicDecisions { get; private set; }

    /// <summary>Receives every decision in words, when set.</summary>
    public Action<string>? Log { get; init; }

    public int Decide(double now, SimCluster cluster)
    {
        var at = SimClock.At(now);
        foreach (var pod in cluster.ReadyPods)
        {
            var families = ExpositionParser.Parse(PodExposition.Render(pod, cluster.Spec.ModelName));
            _scrapes = _scrapes.Record(PodMetricsExtractor.Extract(pod.Name, at, families), signalSettings.Retention);
        }

        _scrapes = _scrapes.RetainOnly(cluster.Pods.Select(p => p.Name));
        var pods = cluster.Pods.Select(p => new PodState(p.Name, p.Phase == PodPhase.Ready)).ToList();
        var signals = SignalCalculator.Compute(at, pods, _scrapes, signalSettings);
        var decision = ScalingPolicy.Decide(at, cluster.DesiredReplicas, signals, _history, settings);
        _history = decision.History;
        Log?.Invoke($"{now,7:0.0}s replicas {cluster.DesiredReplicas} ready {cluster.ReadyPods.Count} -> {decision.DesiredReplicas} {decision.Reason}: {decision.Message}");
        Reasons[decision.Reason] = Reasons.GetValueOrDefault(decision.Reason) + 1;
        PanicDecisions += decision.Panicking ? 1 : 0;
        return decision.DesiredReplicas;
    }
}
