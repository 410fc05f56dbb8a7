using Platform.AutoscaleSim.Autoscalers;
using Platform.AutoscaleSim.Cluster;
using Platform.AutoscaleSim.Workload;

namespace Platform.AutoscaleSim.Simulation;

/// <summary>
/// Time-stepped simulation at 1 ms: each tick draws the Poisson arrivals of that
/// millisecond, spreads them over the ready pods, and runs every pod's batcher in
/// continuous time up to the next tick. Arrivals and service times use separate seeded
/// generators, so every autoscaler faces the same arrivals.
/// </summary>
public static class Simulator
{
    public const double TickSeconds = 0.001;

    public static RunResult Run(
        Curve curve, LoadTrace trace, double baseRate, IAutoscaler autoscaler, int initialReplicas, LoadBalancing balancing, int seed)
    {
        var cluster = new SimCluster(curve.Pod, balancing, initialReplicas, seed);
        var recorder = new SloRecorder(curve.SloSeconds, trace.DurationSeconds);
        var arrivals = new Random(seed);
        var service = new Random(seed ^ 0x5EED);
        var ticks = (long)Math.Round(trace.DurationSeconds / TickSeconds);
        var ticksPerSecond = (long)Math.Round(1 / TickSeconds);
        var ticksPerDecision = (long)Math.Round(autoscaler.IntervalSeconds / TickSeconds);
        var seconds = new List<SecondSample>((int)trace.DurationSeconds + 1);

        for (long k = 0; k < ticks; k++)
        {
            var now = k * TickSeconds;
            cluster.UpdatePhases(now);
            if (k % ticksPerSecond == 0)
            {
                autoscaler.Observe(now, cluster);
                seconds.Add(new SecondSample(now, baseRate * trace.Multiplier(now), cluster.DesiredReplicas, cluster.ReadyPods.Count));
            }

            if (k > 0 && k % ticksPerDecision == 0)
            {
                cluster.Scale(autoscaler.Decide(now, cluster), now);
            }

            var rate = baseRate * trace.Multiplier(now);
            var count = PoissonSampler.Sample(rate * TickSeconds, arrivals);
            recorder.OnRefused(now, cluster.Admit(now, count));
            cluster.Advance(now, now + TickSeconds, service, recorder);
        }

        var windowP95 = Enumerable.Range(0, recorder.Windows).Select(recorder.WindowP95).ToList();
        var met = windowP95.Count(p => !double.IsNaN(p) && p <= curve.SloSeconds);
        var counted = windowP95.Count(p => !double.IsNaN(p));
        return new RunResult(
            curve.Name,
            trace.Name,
            autoscaler.Name,
            recorder.Offered,
            recorder.Answered,
            recorder.AnsweredWithinSlo,
            recorder.Refused,
            counted,
            met,
            cluster.ReplicaSeconds,
            seconds,
            windowP95,
            autoscaler is PlatformAutoscaler platform ? Describe(platform) : string.Empty);
    }

    private static string Describe(PlatformAutoscaler platform) =>
        string.Join(", ", platform.Reasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}"))
        + $"; panic in {platform.PanicDecisions} decisions";
}
