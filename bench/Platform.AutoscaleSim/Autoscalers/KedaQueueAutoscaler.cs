using Platform.AutoscaleSim.Cluster;

namespace Platform.AutoscaleSim.Autoscalers;

/// <summary>
/// KEDA ScaledObject with a Prometheus trigger on the summed queue depth, metricType
/// AverageValue. KEDA serves the value to an HPA as an external metric, so the HPA's
/// rules apply: ratio = total / (target × current replicas); inside the tolerance nothing
/// changes, else desired = ceil(total / target); then the HPA's default behavior. The
/// metric is read fresh at each 15 s sync (real Prometheus data would be up to one scrape
/// interval older).
/// </summary>
/// <param name="inFlight">Trigger on the summed requests in flight (queued plus computing), the metric a user would pick for a batching pod, instead of the waiting queue alone.</param>
public sealed class KedaQueueAutoscaler(double targetQueuePerReplica, int minReplicas, int maxReplicas, bool inFlight = false) : IAutoscaler
{
    private const double Tolerance = 0.1;

    private readonly HpaBehavior _behavior = new(minReplicas, maxReplicas);

    public string Name => inFlight ? $"KEDA in-flight {targetQueuePerReplica:0.#}/pod" : $"KEDA queue {targetQueuePerReplica:0}/pod";

    public double IntervalSeconds => 15;

    public int Decide(double now, SimCluster cluster)
    {
        var current = cluster.DesiredReplicas;
        var total = cluster.ReadyPods.Sum(p => (double)(inFlight ? p.InFlight : p.Queued));
        var ratio = total / (targetQueuePerReplica * Math.Max(1, current));
        var proposal = Math.Abs(1 - ratio) <= Tolerance ? current : (int)Math.Ceiling(total / targetQueuePerReplica);
        return _behavior.Normalize(now, current, proposal);
    }
}
