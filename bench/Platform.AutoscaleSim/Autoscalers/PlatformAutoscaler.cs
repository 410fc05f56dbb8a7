using k8s.Models;
using Platform.AutoscaleSim.Cluster;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling.Actuation;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Prometheus;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.AutoscaleSim.Autoscalers;

/// <summary>
/// The operator's autoscaler, run as the operator runs it: an InferenceService spec with the
/// CRD's defaults (only the targets and the replica range set), the settings factory, the
/// history start, and <see cref="AutoscalerRound.Run"/> over Pod objects with their creation
/// and Ready times. Every scrape interval each ready pod's /metrics text (prometheus-net
/// layout) goes through the operator's parser and extractor; a scrape fails with
/// <see cref="ScrapeFailureRate"/>, as a pod too busy to answer in time does.
/// </summary>
public sealed class PlatformAutoscaler : IAutoscaler
{
    /// <summary>Fraction of scrapes that fail (timeouts, resets).</summary>
    public const double ScrapeFailureRate = 0.03;

    private readonly ServiceAutoscalerState _state = new();
    private readonly InferenceService _service;
    private readonly Random _scrapes;

    public PlatformAutoscaler(string name, InferenceServiceSpec spec, int seed)
    {
        Name = name;
        _service = new InferenceService { Metadata = new V1ObjectMeta { Name = "sim", NamespaceProperty = "bench" }, Spec = spec };
        _scrapes = new Random(seed ^ 0x5C4A);
        IntervalSeconds = AutoscalerSettingsFactory.Signals(spec.Autoscaling).ScrapeInterval.TotalSeconds;
    }

    public string Name { get; }

    public double IntervalSeconds { get; }

    /// <summary>How often each reason shaped a decision, for the report.</summary>
    public Dictionary<ScalingReason, int> Reasons { get; } = [];

    public int PanicDecisions { get; private set; }

    /// <summary>Receives every decision in words, when set.</summary>
    public Action<string>? Log { get; init; }

    public int Decide(double now, SimCluster cluster)
    {
        var at = SimClock.At(now);
        var scrapes = new List<PodScrape>();
        foreach (var pod in cluster.ReadyPods)
        {
            if (_scrapes.NextDouble() < ScrapeFailureRate)
            {
                scrapes.Add(PodScrape.Failed(pod.Name, "no answer within 2000 ms"));
                continue;
            }

            var families = ExpositionParser.Parse(PodExposition.Render(pod, cluster.Spec.ModelName));
            scrapes.Add(PodScrape.Succeeded(PodMetricsExtractor.Extract(pod.Name, at, families)));
        }

        var pods = cluster.Pods.Select(Pod).ToList();
        var outcome = AutoscalerRound.Run(_state, at, _service, cluster.DesiredReplicas, pods, scrapes);
        var decision = outcome.Decision;
        Log?.Invoke($"{now,7:0.0}s replicas {cluster.DesiredReplicas} ready {cluster.ReadyPods.Count} -> {decision.DesiredReplicas} {decision.Reason}: {decision.Message}");
        Reasons[decision.Reason] = Reasons.GetValueOrDefault(decision.Reason) + 1;
        PanicDecisions += decision.Panicking ? 1 : 0;
        return decision.DesiredReplicas;
    }

    private static V1Pod Pod(SimPod pod) => new()
    {
        Metadata = new V1ObjectMeta { Name = pod.Name, CreationTimestamp = SimClock.At(pod.CreatedAt).UtcDateTime },
        Status = new V1PodStatus
        {
            Conditions = pod.Phase == PodPhase.Ready
                ? [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = SimClock.At(pod.ReadyAt).UtcDateTime }]
                : [new V1PodCondition { Type = "Ready", Status = "False" }],
        },
    };
}
