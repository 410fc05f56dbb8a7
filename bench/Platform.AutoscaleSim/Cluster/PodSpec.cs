using Platform.AutoscaleSim.Profiles;

namespace Platform.AutoscaleSim.Cluster;

/// <summary>How every pod of a simulated service behaves.</summary>
/// <param name="MaxBatch">Largest batch the batcher forms.</param>
/// <param name="QueueCapacity">Admitted requests that may wait; more are refused with 429.</param>
/// <param name="StartSeconds">From creation to the process serving (scheduling, image, model load).</param>
/// <param name="WarmupSeconds">Warm-up inferences before the pod reports ready.</param>
/// <param name="DeadlineSeconds">
/// Each request's deadline (the client's timeout): the pod refuses (429) at admission a request
/// whose backlog plus own compute would not fit it, as the real pod's <c>AdmissionPolicy</c> does.
/// </param>
public sealed record PodSpec(
    string ModelName,
    BatchLatencyProfile Profile,
    int MaxBatch,
    int QueueCapacity,
    double StartSeconds,
    double WarmupSeconds,
    double DeadlineSeconds)
{
    public double ColdStartSeconds => StartSeconds + WarmupSeconds;
}
