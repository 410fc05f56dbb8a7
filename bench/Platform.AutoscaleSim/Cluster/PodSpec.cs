using Platform.AutoscaleSim.Profiles;

namespace Platform.AutoscaleSim.Cluster;

/// <summary>How every pod of a simulated service behaves.</summary>
/// <param name="MaxBatch">Largest batch the batcher forms.</param>
/// <param name="QueueCapacity">Admitted requests that may wait; more are refused with 429.</param>
/// <param name="StartSeconds">From creation to the process serving (scheduling, image, model load).</param>
/// <param name="WarmupSeconds">Warm-up inferences before the pod reports ready.</param>
public sealed record PodSpec(
    string ModelName,
    BatchLatencyProfile Profile,
    int MaxBatch,
    int QueueCapacity,
    double StartSeconds,
    double WarmupSeconds)
{
    public double ColdStartSeconds => StartSeconds + WarmupSeconds;
}
