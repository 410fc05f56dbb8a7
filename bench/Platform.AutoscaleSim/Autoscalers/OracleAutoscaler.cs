using Platform.AutoscaleSim.Cluster;

namespace Platform.AutoscaleSim.Autoscalers;

/// <summary>
/// Knows the future load: provisions the fewest pods that meet the SLO at the load of the
/// coming cold start (pods are asked for exactly one cold start before they are needed),
/// and keeps them while the load of that horizon needs them.
/// </summary>
/// <param name="podsFor">The fewest pods that serve a rate within the SLO (calibrated offline).</param>
/// <param name="coldStartSeconds">How far ahead it looks; 0 makes the reactive oracle, which learns of a change only when it happens (the floor cold start sets).</param>
public sealed class OracleAutoscaler(Func<double, double> rateAt, Func<double, int> podsFor, double coldStartSeconds, int minReplicas, int maxReplicas, string name = "oracle") : IAutoscaler
{
    public string Name => name;

    public double IntervalSeconds => 1;

    public int Decide(double now, SimCluster cluster)
    {
        var needed = minReplicas;
        for (var t = now; t <= now + coldStartSeconds + IntervalSeconds; t += 0.25)
        {
            needed = Math.Max(needed, podsFor(rateAt(t)));
        }

        return Math.Min(needed, maxReplicas);
    }
}
