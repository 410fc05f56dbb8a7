using System.Diagnostics;
using Platform.FeatureBench.Cli;

namespace Platform.FeatureBench.Measurement;

/// <summary>
/// Times several variants of one workload side by side. After a warm-up of each variant, every
/// round runs each variant in turn, first alone (concurrency 1: latency) and then from
/// <see cref="BenchOptions.Concurrency"/> clients at once (throughput), the starting variant
/// rotating from round to round. Noise from the rest of the machine then lands on every variant
/// alike, and ratios are taken within a round before the median over rounds is taken.
/// </summary>
internal static class InterleavedRun
{
    public static async Task<RunResult> RunAsync(string title, IReadOnlyList<Variant> variants, BenchOptions options, CancellationToken cancellationToken)
    {
        var samples = variants.Select(v => new VariantSamples(v.Name, v.Reference, options.Rounds)).ToArray();
        Console.Error.WriteLine($"[{title}] warm-up: {options.Warmup.TotalSeconds:0.#} s per variant at concurrency {options.Concurrency}");
        foreach (var variant in variants)
        {
            await ConcurrentAsync(variant, options.Concurrency, options.Warmup, new List<long>(), cancellationToken);
            await SequentialAsync(variant, TimeSpan.FromMilliseconds(200), new List<long>(), cancellationToken);
        }
        var loads = new List<double>();
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < options.Rounds; round++)
        {
            loads.Add(LoadAverage.OneMinute());
            for (var k = 0; k < variants.Count; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var index = (round + k) % variants.Count;
                var variant = variants[index];
                var sequential = new List<long>();
                await SequentialAsync(variant, options.LatencyTime, sequential, cancellationToken);
                samples[index].AddSequential(round, sequential);
                if (options.Concurrency > 1)
                {
                    var concurrent = new List<long>();
                    var (completed, elapsed) = await ConcurrentAsync(variant, options.Concurrency, options.ThroughputTime, concurrent, cancellationToken);
                    samples[index].AddConcurrent(round, concurrent, completed / elapsed.TotalSeconds);
                }
            }
            Console.Error.WriteLine($"[{title}] round {round + 1}/{options.Rounds} done after {clock.Elapsed.TotalSeconds:0} s (load average {loads[^1]:0.00})");
        }
        loads.Add(LoadAverage.OneMinute());
        return new RunResult(title, samples, options.Concurrency, loads);
    }

    private static async Task SequentialAsync(Variant variant, TimeSpan time, List<long> latencies, CancellationToken cancellationToken)
    {
        if (variant.Blocking)
        {
            await OnThreadAsync(() => Loop(variant, time, latencies, cancellationToken).AsTask().GetAwaiter().GetResult());
            return;
        }
        await Loop(variant, time, latencies, cancellationToken);
    }

    private static async Task<(long Completed, TimeSpan Elapsed)> ConcurrentAsync(Variant variant, int clients, TimeSpan time, List<long> latencies, CancellationToken cancellationToken)
    {
        var perClient = Enumerable.Range(0, clients).Select(_ => new List<long>()).ToArray();
        var started = Stopwatch.GetTimestamp();
        var workers = perClient.Select(list => variant.Blocking
            ? OnThreadAsync(() => Loop(variant, time, list, cancellationToken).AsTask().GetAwaiter().GetResult())
            : Task.Run(async () => await Loop(variant, time, list, cancellationToken), cancellationToken)).ToArray();
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        foreach (var list in perClient) latencies.AddRange(list);
        return (perClient.Sum(l => (long)l.Count), elapsed);
    }

    private static async ValueTask Loop(Variant variant, TimeSpan time, List<long> latencies, CancellationToken cancellationToken)
    {
        var end = Stopwatch.GetTimestamp() + (long)(time.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            await variant.Once(cancellationToken);
            latencies.Add(Stopwatch.GetTimestamp() - start);
        }
    }

    /// <summary>Runs blocking work on a thread of its own, not on the thread pool.</summary>
    private static Task OnThreadAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true, Name = "bench-in-process" }.Start();
        return done.Task;
    }
}

/// <summary>What one variant measured, round by round.</summary>
internal sealed class VariantSamples(string name, string? reference, int rounds)
{
    public string Name { get; } = name;
    public string? Reference { get; } = reference;
    public List<long> Sequential { get; } = [];
    public List<long> Concurrent { get; } = [];
    public double[] RoundP50Ms { get; } = Enumerable.Repeat(double.NaN, rounds).ToArray();
    public double[] RoundThroughput { get; } = Enumerable.Repeat(double.NaN, rounds).ToArray();

    public void AddSequential(int round, List<long> latencies)
    {
        Sequential.AddRange(latencies);
        RoundP50Ms[round] = Percentiles.NearestRankMs(Percentiles.Sorted(latencies), 0.50);
    }

    public void AddConcurrent(int round, List<long> latencies, double throughput)
    {
        Concurrent.AddRange(latencies);
        RoundThroughput[round] = throughput;
    }
}

/// <summary>The samples of one interleaved run and the machine's load average along it.</summary>
internal sealed record RunResult(string Title, IReadOnlyList<VariantSamples> Variants, int Concurrency, IReadOnlyList<double> LoadAverages);

internal static class LoadAverage
{
    /// <summary>The 1-minute load average from /proc/loadavg, or NaN where there is none.</summary>
    public static double OneMinute()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }
}
