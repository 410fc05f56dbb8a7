namespace Platform.FeatureBench.Measurement;

/// <summary>
/// One thing a workload times: a single request (or in-process call) that throws when its
/// answer is wrong. <paramref name="Blocking"/> marks synchronous in-process work, which the
/// harness runs on dedicated threads so that it never holds the thread pool the pod serves on.
/// <paramref name="Reference"/> names the variant its ratios are taken against (null: the run's).
/// </summary>
internal sealed record Variant(string Name, Func<CancellationToken, ValueTask> Once, bool Blocking = false, string? Reference = null)
{
    public static Variant InProcess(string name, Action work, string? reference = null) => new(name, _ =>
    {
        work();
        return ValueTask.CompletedTask;
    }, Blocking: true, reference);
}
