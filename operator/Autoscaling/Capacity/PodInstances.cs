namespace Platform.Operator.Autoscaling.Capacity;

/// <summary>
/// How many model instances a pod of the service runs, for the capacity model. A pod without
/// spec.serving.instances picks its layout at start-up by measuring, so the count is read
/// from what the pods report (<c>PodMetrics.ModelInstances</c>), not from the spec. Pure.
/// </summary>
public static class PodInstances
{
    /// <summary>
    /// The median of the counts the pods report (the lower middle of an even number: fewer
    /// instances means less capacity per pod, so the autoscaler errs towards more pods);
    /// without any, <paramref name="configured"/> (spec.serving.instances); without that, 1.
    /// Counts below 1 (a pod that has not loaded its model yet exports 0) are not reports.
    /// </summary>
    public static int Resolve(IEnumerable<int?> reported, int? configured)
    {
        ArgumentNullException.ThrowIfNull(reported);
        var counts = reported.OfType<int>().Where(c => c >= 1).Order().ToList();
        if (counts.Count > 0)
        {
            return counts[(counts.Count - 1) / 2];
        }

        return configured is >= 1 and var set ? set : 1;
    }
}
