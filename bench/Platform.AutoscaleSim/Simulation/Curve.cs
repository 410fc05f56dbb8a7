using Platform.AutoscaleSim.Cluster;

namespace Platform.AutoscaleSim.Simulation;

/// <summary>One kind of pod (a service-time curve and its settings) with its latency SLO.</summary>
public sealed record Curve(string Name, PodSpec Pod, double SloSeconds);
