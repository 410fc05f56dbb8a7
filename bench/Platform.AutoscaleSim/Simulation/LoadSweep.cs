using System.Globalization;
using System.Text;
using Platform.AutoscaleSim.Autoscalers;
using Platform.AutoscaleSim.Cluster;
using Platform.AutoscaleSim.Workload;

namespace Platform.AutoscaleSim.Simulation;

/// <summary>
/// One pod under steady loads from 10% to 120% of its largest-batch throughput: requests in
/// flight, p95 and refusals, to relate the policy's targets to utilization.
/// </summary>
public static class LoadSweep
{
    public static string Render(Curve curve, int seed)
    {
        const double seconds = 120;
        var maxThroughput = curve.Pod.MaxBatch / curve.Pod.Profile.MedianSeconds(curve.Pod.MaxBatch);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{curve.Name}: one pod, largest-batch throughput {maxThroughput:0}/s");
        text.AppendLine();
        text.AppendLine("| load | rate/s | busy | avg in flight | p95 ms (worst 10 s) | refused |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var fraction in new[] { 0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.1, 1.2 })
        {
            var rate = fraction * maxThroughput;
            var probe = new Probe();
            var trace = new LoadTrace("sweep", "steady", seconds, _ => 1);
            var result = Simulator.Run(curve, trace, rate, probe, 1, LoadBalancing.LeastQueue, seed);
            var p95 = result.WindowP95.Where(p => !double.IsNaN(p)).Max();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {fraction:P0} | {rate:0} | {probe.Busy / seconds:P0} | {probe.InFlightIntegral / seconds:0.0} | {p95 * 1000:0.0} | {(double)result.Refused / result.Offered:P1} |");
        }

        return text.ToString();
    }

    /// <summary>
    /// Time-averaged requests in flight of one pod under a steady load of
    /// <paramref name="fraction"/> of its largest-batch throughput.
    /// </summary>
    public static double InFlightAt(Curve curve, double fraction, int seed)
    {
        const double seconds = 120;
        var rate = fraction * curve.Pod.MaxBatch / curve.Pod.Profile.MedianSeconds(curve.Pod.MaxBatch);
        var probe = new Probe();
        Simulator.Run(curve, new LoadTrace("sweep", "steady", seconds, _ => 1), rate, probe, 1, LoadBalancing.LeastQueue, seed);
        return probe.InFlightIntegral / seconds;
    }

    /// <summary>Keeps one pod and reads its counters at the end.</summary>
    private sealed class Probe : IAutoscaler
    {
        public string Name => "probe";

        public double IntervalSeconds => 1;

        public double Busy { get; private set; }

        public double InFlightIntegral { get; private set; }

        public void Observe(double now, SimCluster cluster)
        {
            var pod = cluster.ReadyPods[0];
            Busy = pod.BusySecondsAt(now);
            InFlightIntegral = pod.InFlightIntegralAt(now);
        }

        public int Decide(double now, SimCluster cluster) => 1;
    }
}
