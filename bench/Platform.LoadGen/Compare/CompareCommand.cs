using System.Globalization;
using Platform.LoadGen.Cli;
using Platform.LoadGen.Http;
using Platform.LoadGen.Raw;
using Platform.LoadGen.Reporting;

namespace Platform.LoadGen.Compare;

/// <summary>"loadgen compare": the raw ceiling, then the server at each concurrency, then the ratios.</summary>
internal static class CompareCommand
{
    public static async Task<int> RunAsync(ArgReader args, CancellationToken cancel)
    {
        var options = CompareOptions.Read(args);
        args.RejectUnknown("compare");
        var time = TimeProvider.System;

        // Check the server before spending minutes on the raw sweep.
        using var target = await HttpTarget.PrepareAsync(options.Http, time, cancel);
        var raw = RawCommand.Measure(options.Raw, time, cancel);
        var http = new List<HttpRunSummary>();
        foreach (var concurrency in options.Concurrencies.TakeWhile(_ => !cancel.IsCancellationRequested))
        {
            Console.Error.WriteLine($"http: closed loop, {Format.Clients(concurrency)}, {options.Http.Duration.TotalSeconds:0.#} s ...");
            http.Add(await HttpLoad.RunAsync(target.Client, target.Request, options.Http with { Concurrency = concurrency }, time, cancel));
        }
        var summary = CompareSummary.From(raw, http, options.Http.Batch);

        RawCommand.Print(raw);
        Console.WriteLine();
        foreach (var run in http)
        {
            HttpReport.Print(run, Console.Out);
            Console.WriteLine();
        }
        Print(summary, options);
        JsonReport.WriteIfAsked(options.Http.JsonPath, new { Command = "compare", Options = options, Raw = raw, Http = http, Summary = summary });
        return 0;
    }

    private static void Print(CompareSummary s, CompareOptions options)
    {
        Console.WriteLine($"server vs ONNX Runtime alone ({options.Raw.Threads} intra-op threads; ceiling {Format.Rate(s.CeilingRowsPerSecond)} rows/s at batch {s.CeilingBatch})");
        var table = new TextTable("concurrency", "rows/s", "of ceiling", "p50 ms", "p99 ms", "failures", "server batch");
        foreach (var run in s.Runs)
        {
            table.Row(
                run.Concurrency.ToString(CultureInfo.InvariantCulture),
                Format.Rate(run.RowsPerSecond),
                run.ShareOfCeiling.ToString("0.0%", CultureInfo.InvariantCulture),
                Format.Ms(run.P50Ms),
                Format.Ms(run.P99Ms),
                Format.Count(run.Failures),
                run.MeanServerBatchSize is { } b ? b.ToString("0.00", CultureInfo.InvariantCulture) : "n/a");
        }
        table.WriteTo(Console.Out);
        Console.WriteLine(
            $"added median latency at concurrency 1: {Format.Ms(s.AddedMedianLatencyMs)} ms " +
            $"(HTTP p50 {Format.Ms(s.HttpP50MsAtConcurrency1)} ms - one Run at batch {options.Http.Batch} p50 {Format.Ms(s.RawRunP50Ms)} ms)");
    }
}
