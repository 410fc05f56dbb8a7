using Platform.AutoscaleSim.Autoscalers;
using Platform.AutoscaleSim.Cluster;
using Platform.AutoscaleSim.Workload;

namespace Platform.AutoscaleSim.Simulation;

/// <summary>
/// Measures, with the same simulator, the highest steady Poisson rate that a fixed number
/// of pods serves with a p95 (refused requests counted as misses) within the SLO. The
/// oracle provisions from it.
/// </summary>
public static class Calibration
{
    /// <summary>Long enough for a queue near saturation to show whether it holds.</summary>
    private const double RunSeconds = 300;

    /// <summary>Pod counts measured; the others are interpolated (pooling gains flatten out fast).</summary>
    private static readonly int[] MeasuredCounts = [1, 2, 4, 8, 14];

    /// <summary>Capacity per pod at the SLO for 1..<paramref name="maxPods"/> pods (index = pod count).</summary>
    public static double[] CapacityPerPod(Curve curve, int maxPods, LoadBalancing balancing, int seed)
    {
        var measured = new SortedDictionary<int, double>();
        // Upper bound: the pod's throughput at its largest batch.
        var ceiling = curve.Pod.MaxBatch / curve.Pod.Profile.MedianSeconds(curve.Pod.MaxBatch);
        var previous = 0.0;
        foreach (var pods in MeasuredCounts.Where(n => n <= maxPods))
        {
            // Pooling over more pods only helps, so the previous count's capacity (less a
            // margin for noise) brackets the search from below.
            double low = previous * 0.97, high = ceiling;
            if (low > 0 && !MeetsSlo(curve, pods, low * pods, balancing, seed))
            {
                low = 0;
            }

            while (high - low > ceiling * 0.01)
            {
                var mid = (low + high) / 2;
                if (MeetsSlo(curve, pods, mid * pods, balancing, seed))
                {
                    low = mid;
                }
                else
                {
                    high = mid;
                }
            }

            measured[pods] = previous = low;
        }

        var capacities = new double[maxPods + 1];
        for (var pods = 1; pods <= maxPods; pods++)
        {
            var below = measured.Keys.Last(k => k <= pods);
            var above = measured.Keys.FirstOrDefault(k => k >= pods, below);
            capacities[pods] = above == below
                ? measured[below]
                : measured[below] + ((measured[above] - measured[below]) * (pods - below) / (above - below));
        }

        return capacities;
    }

    private static bool MeetsSlo(Curve curve, int pods, double rate, LoadBalancing balancing, int seed)
    {
        var trace = new LoadTrace("calibration", "steady", RunSeconds, _ => 1);
        var result = Simulator.Run(curve, trace, rate, new FixedReplicas(pods), pods, balancing, seed);
        var p95 = result.WindowP95.Where(p => !double.IsNaN(p)).DefaultIfEmpty(double.PositiveInfinity).Max();
        return p95 <= curve.SloSeconds;
    }

    private sealed class FixedReplicas(int replicas) : IAutoscaler
    {
        public string Name => "fixed";

        public double IntervalSeconds => 3600;

        public int Decide(double now, SimCluster cluster) => replicas;
    }
}
