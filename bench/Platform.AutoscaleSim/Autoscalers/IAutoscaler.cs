using Platform.AutoscaleSim.Cluster;

namespace Platform.AutoscaleSim.Autoscalers;

/// <summary>A replica-count controller driven by the simulation clock.</summary>
public interface IAutoscaler
{
    string Name { get; }

    /// <summary>Seconds between decisions.</summary>
    double IntervalSeconds { get; }

    /// <summary>Called once per simulated second, for controllers that sample between decisions.</summary>
    void Observe(double now, SimCluster cluster)
    {
    }

    /// <summary>The replica count to set now.</summary>
    int Decide(double now, SimCluster cluster);
}
