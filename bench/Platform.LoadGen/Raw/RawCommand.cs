using Platform.LoadGen.Cli;
using Platform.LoadGen.Reporting;

namespace Platform.LoadGen.Raw;

/// <summary>"loadgen raw": the ONNX Runtime ceiling for each batch size asked for.</summary>
internal static class RawCommand
{
    public static int Run(ArgReader args, CancellationToken cancel)
    {
        var options = RawOptions.Read(args);
        args.RejectUnknown("raw");
        var results = Measure(options, TimeProvider.System, cancel);
        Print(results, options.Provider);
        JsonReport.WriteIfAsked(options.JsonPath, new { Command = "raw", Options = options, Results = results });
        return 0;
    }

    public static IReadOnlyList<RawRunSummary> Measure(RawOptions options, TimeProvider time, CancellationToken cancel)
    {
        using var session = RawSession.Load(options.ModelPath, options.Threads, time, options.Provider, options.DeviceId);
        var results = new List<RawRunSummary>();
        foreach (var batch in options.Batches)
        {
            if (cancel.IsCancellationRequested)
            {
                break;
            }
            Console.Error.WriteLine($"raw: {Path.GetFileName(options.ModelPath)}, {options.Provider}, {options.Threads} intra-op threads, batch {batch}, {options.Duration.TotalSeconds:0.#} s ...");
            results.Add(session.Measure(batch, options.Warmup, options.Duration, options.Seed, cancel));
        }
        return results;
    }

    public static void Print(IReadOnlyList<RawRunSummary> results, string provider = RawOptions.Cpu)
    {
        if (results.Count == 0)
        {
            return;
        }
        Console.WriteLine($"ONNX Runtime ceiling: {results[0].Model}, {provider.ToUpperInvariant()}, {results[0].Threads} intra-op threads, sequential, all optimizations");
        var table = new TextTable("batch", "runs", "runs/s", "rows/s", "p50 ms", "p95 ms", "p99 ms", "max ms");
        foreach (var r in results)
        {
            table.Row(
                r.Batch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Format.Count(r.Runs),
                Format.Rate(r.RunsPerSecond),
                Format.Rate(r.RowsPerSecond),
                Format.Ms(r.RunLatency.P50Ms),
                Format.Ms(r.RunLatency.P95Ms),
                Format.Ms(r.RunLatency.P99Ms),
                Format.Ms(r.RunLatency.MaxMs));
        }
        table.WriteTo(Console.Out);
    }
}
