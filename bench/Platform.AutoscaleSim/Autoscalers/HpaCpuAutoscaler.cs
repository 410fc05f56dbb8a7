using Platform.AutoscaleSim.Cluster;

namespace Platform.AutoscaleSim.Autoscalers;

/// <summary>
/// Kubernetes HPA on CPU utilization (autoscaling/v2, Resource metric, Utilization target),
/// following the replica calculator: utilization of each ready pod over the metrics window
/// (here the fraction of time the model computes, which on a CPU pod is its CPU use);
/// ratio = mean / target; inside the tolerance nothing changes; when scaling up, pods not
/// ready count as 0% and the ratio is recomputed; desired = ceil(ratio × pods); then the
/// HPA's default behavior. Syncs every 15 s over a 15 s metrics window (metrics-server's
/// default resolution).
/// </summary>
/// <param name="smActivity">
/// GPU pods: utilization is SM activity as DCGM reports it (busy time weighted by batch fill,
/// see <see cref="SimPod.ActiveSecondsAt"/>), served to the HPA as a pod metric, instead of
/// the time-busy fraction that a GPU pod holds near 100% at any load.
/// </param>
public sealed class HpaCpuAutoscaler(double targetUtilization, int minReplicas, int maxReplicas, bool smActivity = false) : IAutoscaler
{
    private const double MetricsWindowSeconds = 15;
    private const double Tolerance = 0.1;

    private readonly HpaBehavior _behavior = new(minReplicas, maxReplicas);
    private readonly Dictionary<string, (double At, double Busy)> _previous = [];

    public string Name => smActivity ? $"HPA GPU SM activity {targetUtilization:P0}" : $"HPA CPU {targetUtilization:P0}";

    public double IntervalSeconds => 15;

    /// <summary>The replica calculator's rules for missing and unready pods.</summary>
    private int Proposal(List<double> utilizations, int unready, int missing, int current)
    {
        var ratio = utilizations.Average() / targetUtilization;
        var scaleUpWithUnready = unready > 0 && ratio > 1;
        if (!scaleUpWithUnready && missing == 0)
        {
            return Math.Abs(1 - ratio) <= Tolerance ? current : (int)Math.Ceiling(ratio * utilizations.Count);
        }

        // Missing pods count as at target when scaling down and idle when scaling up;
        // unready pods count as idle when scaling up.
        var sum = utilizations.Sum() + (ratio < 1 ? missing * targetUtilization : 0);
        var count = utilizations.Count + missing + (scaleUpWithUnready ? unready : 0);
        var newRatio = sum / count / targetUtilization;
        if (Math.Abs(1 - newRatio) <= Tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1))
        {
            return current;
        }

        var replicas = (int)Math.Ceiling(newRatio * count);
        return (newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current) ? current : replicas;
    }

    public int Decide(double now, SimCluster cluster)
    {
        var utilizations = new List<double>();
        foreach (var pod in cluster.ReadyPods)
        {
            var busy = smActivity ? pod.ActiveSecondsAt(now) : pod.BusySecondsAt(now);
            var since = Math.Max(now - MetricsWindowSeconds, pod.ReadyAt);
            if (_previous.TryGetValue(pod.Name, out var previous) && previous.At >= since - 1e-9 && now - previous.At > 1e-9)
            {
                utilizations.Add(Math.Clamp((busy - previous.Busy) / (now - previous.At), 0, 1));
            }

            _previous[pod.Name] = (now, busy);
        }

        var current = cluster.DesiredReplicas;
        var unready = cluster.Pods.Count(p => p.Phase != PodPhase.Ready);
        var missing = cluster.ReadyPods.Count - utilizations.Count;
        if (utilizations.Count == 0)
        {
            return _behavior.Normalize(now, current, current);
        }

        var proposal = Proposal(utilizations, unready, missing, current);
        return _behavior.Normalize(now, current, proposal);
    }
}
