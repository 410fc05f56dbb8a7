using Platform.InferencePod.Configuration;

namespace Platform.InferencePod.Batching;

/// <summary>One batch size of an instance's warm-up: how many runs, and whether it is skipped once <see cref="WarmupPlan.Budget"/> has passed.</summary>
public readonly record struct WarmupStep(int BatchSize, int Runs, bool WithinBudgetOnly);

/// <summary>
/// The batch sizes each instance runs before the pod turns ready. By default every size the
/// batcher can send (1 to the maximum), so the first run of no size falls on a request: the
/// largest size first after 1, which sizes the arena and the pinned input buffers for all the
/// others; 1 and the maximum run <see cref="WarmupOptions.Iterations"/> times (the service-time
/// curve's ends), the sizes between at most twice (one run pays the one-off costs, one is timed),
/// and those only while the instance's warm-up is within <see cref="Budget"/>, which bounds how
/// long a large maximum batch delays readiness. Sizes given in the settings run in full.
/// </summary>
public static class WarmupPlan
{
    /// <summary>Time after which an instance skips the remaining sizes between 1 and the maximum.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    public static IReadOnlyList<WarmupStep> For(WarmupOptions options, int maxBatchSize)
    {
        var max = Math.Max(1, maxBatchSize);
        var iterations = Math.Max(0, options.Iterations);
        if (!string.IsNullOrWhiteSpace(options.BatchSizes))
        {
            var given = options.ResolveBatchSizes(max).Where(s => s <= max).DefaultIfEmpty(1).Distinct();
            return given.Select(s => new WarmupStep(s, iterations, WithinBudgetOnly: false)).ToArray();
        }
        var steps = new List<WarmupStep> { new(1, iterations, false) };
        if (max > 1) steps.Add(new WarmupStep(max, iterations, false));
        for (var size = 2; size < max; size++) steps.Add(new WarmupStep(size, Math.Min(iterations, 2), true));
        return steps;
    }
}
