namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// A scrape parsed but does not carry the metrics the pod contract promises (a gauge is
/// missing, a histogram lacks its +Inf bucket, ...). The scrape counts as failed.
/// </summary>
public sealed class PodMetricsContractException(string podName, string reason)
    : Exception($"pod '{podName}': {reason}")
{
    public string PodName { get; } = podName;

    public string Reason { get; } = reason;
}
