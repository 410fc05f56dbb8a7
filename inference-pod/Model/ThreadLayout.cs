using Platform.Contracts;
using Platform.InferencePod.Configuration;

namespace Platform.InferencePod.Model;

/// <summary>How the pod's CPUs are split: <see cref="Instances"/> sessions of <see cref="IntraOpThreads"/> intra-op threads each.</summary>
public readonly record struct ThreadLayout(int Instances, int IntraOpThreads)
{
    public int Cpus => Instances * IntraOpThreads;

    public override string ToString() => $"{Instances}x{IntraOpThreads}";
}

/// <summary>Why the pod runs the layout it runs, for the start-up log.</summary>
public enum ThreadLayoutSource
{
    /// <summary><see cref="PodSettings.ModelInstances"/> and/or <see cref="PodSettings.ModelIntraOpThreads"/> set it.</summary>
    Configured,
    /// <summary>The CUDA provider computes on the GPU: one session, as many intra-op threads as CPUs.</summary>
    Cuda,
    /// <summary><see cref="PodSettings.ModelThreadLayoutSearch"/> is off: one session on every CPU.</summary>
    SearchOff,
    /// <summary>One allowed CPU: only 1x1 uses it.</summary>
    OnlyOne,
    /// <summary>Measured at start-up among <see cref="ThreadLayouts.Candidates"/>.</summary>
    Measured,
}

/// <summary>
/// The layouts the pod may run on the CPUs this process may use (<see cref="Environment.ProcessorCount"/>,
/// which honours the container's CPU quota and CPU set), never ONNX Runtime's own default, which
/// counts the node's cores and, in a pod limited to a few CPUs on a large node, starts dozens of
/// spinning threads.
/// </summary>
public static class ThreadLayouts
{
    /// <summary>Most layouts measured at start-up: each costs its sessions' creation and a measuring window before ready.</summary>
    public const int MaxCandidates = 4;
    /// <summary>Most sessions a measured layout has: each holds its own copy of the model's weights.</summary>
    public const int MaxSearchedInstances = 8;
    /// <summary>
    /// A layout with more instances must beat one with fewer by more than this share to be chosen:
    /// fewer sessions hold less memory and give a lone request more threads, and a small lead in
    /// a bare measurement does not survive serving. On 2 CPUs resnet18 measured 2x1 6% ahead of
    /// 1x2, then served the same over HTTP (101 against 97-101 rows/s) at twice the lone request's
    /// latency (20 against 11 ms) and with about 130 MB more resident.
    /// </summary>
    public const double MoreInstancesMustWinBy = 0.15;

    /// <summary>
    /// The layouts to choose from: exactly one when the settings, the provider or the CPU count
    /// leave no choice, else the divisor pairs of the allowed CPUs (so every CPU is used), at
    /// most <see cref="MaxCandidates"/> spread from fewest to most instances.
    /// </summary>
    public static (IReadOnlyList<ThreadLayout> Candidates, ThreadLayoutSource Source) Candidates(ModelOptions options, int allowedCpus)
    {
        var cpus = Math.Max(1, allowedCpus);
        if (options.Instances > 0 || options.IntraOpThreads > 0)
        {
            // Unset instances keep their old meaning (one); unset threads share the CPUs among the instances.
            var instances = options.Instances > 0 ? options.Instances : 1;
            var threads = options.IntraOpThreads > 0 ? options.IntraOpThreads : Math.Max(1, cpus / instances);
            return ([new ThreadLayout(instances, threads)], ThreadLayoutSource.Configured);
        }
        if (options.ExecutionProvider == PodSettings.ExecutionProviders.Cuda) return ([new ThreadLayout(1, cpus)], ThreadLayoutSource.Cuda);
        if (!options.ThreadLayoutSearch) return ([new ThreadLayout(1, cpus)], ThreadLayoutSource.SearchOff);
        if (cpus == 1) return ([new ThreadLayout(1, 1)], ThreadLayoutSource.OnlyOne);
        var divisors = Enumerable.Range(1, Math.Min(cpus, MaxSearchedInstances)).Where(i => cpus % i == 0).ToArray();
        var picked = Spread(divisors, MaxCandidates);
        return (picked.Select(i => new ThreadLayout(i, cpus / i)).ToArray(), ThreadLayoutSource.Measured);
    }

    /// <summary>
    /// The measured layout with the highest throughput, each taken at its best sample (on a shared
    /// machine, interference only ever slows a sample down), unless one with fewer instances is
    /// within <see cref="MoreInstancesMustWinBy"/> of it.
    /// </summary>
    public static ThreadLayout Pick(IReadOnlyList<LayoutThroughput> measured)
    {
        if (measured.Count == 0) throw new ArgumentException("no layout was measured", nameof(measured));
        var best = measured.Max(m => m.Best);
        return measured
            .Where(m => m.Best * (1 + MoreInstancesMustWinBy) >= best)
            .OrderBy(m => m.Layout.Instances)
            .First().Layout;
    }

    /// <summary>At most <paramref name="count"/> items spread evenly over <paramref name="items"/>, keeping both ends.</summary>
    private static int[] Spread(int[] items, int count)
    {
        if (items.Length <= count) return items;
        return Enumerable.Range(0, count).Select(k => items[(int)Math.Round(k * (items.Length - 1) / (double)(count - 1))]).Distinct().ToArray();
    }
}

/// <summary>A layout's measured throughputs at the measuring batch size, in rows per second, one per sample.</summary>
public sealed record LayoutThroughput(ThreadLayout Layout, IReadOnlyList<double> RowsPerSecond)
{
    public double Best => RowsPerSecond.Count == 0 ? 0 : RowsPerSecond.Max();
}
