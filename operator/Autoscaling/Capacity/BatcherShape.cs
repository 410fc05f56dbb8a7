namespace Platform.Operator.Autoscaling.Capacity;

/// <summary>How a pod's batcher forms batches: the service's spec.serving values and the pods' instance count.</summary>
/// <param name="MaxBatchSize">Most rows one model run takes.</param>
/// <param name="MaxQueueDelay">How long the oldest queued request waits for a batch to fill.</param>
/// <param name="Instances">
/// Model instances, each running its own batches in parallel: spec.serving.instances (else 1)
/// until the pods report theirs (see <see cref="PodInstances"/>).
/// </param>
public sealed record BatcherShape(int MaxBatchSize, TimeSpan MaxQueueDelay, int Instances)
{
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxBatchSize < 1) errors.Add($"max batch size must be at least 1 (was {MaxBatchSize}).");
        if (MaxQueueDelay < TimeSpan.Zero) errors.Add($"max queue delay must not be negative (was {MaxQueueDelay}).");
        if (Instances < 1) errors.Add($"instances must be at least 1 (was {Instances}).");
        return errors;
    }
}
