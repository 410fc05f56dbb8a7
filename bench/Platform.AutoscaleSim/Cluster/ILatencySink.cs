namespace Platform.AutoscaleSim.Cluster;

/// <summary>Receives the fate of every request, to measure SLO attainment.</summary>
public interface ILatencySink
{
    void OnAnswered(double completedAt, double latencySeconds, int count);

    void OnRefused(double at, int count);
}
