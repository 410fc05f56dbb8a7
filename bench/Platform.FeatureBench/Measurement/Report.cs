using System.Globalization;

namespace Platform.FeatureBench.Measurement;

/// <summary>
/// A run as a Markdown table. Latency percentiles pool every sample of every round (exact,
/// nearest rank); a ratio or difference against the reference is taken within each round and
/// the median over the rounds is shown, so a slow round moves every variant together.
/// </summary>
internal static class Report
{
    public static void Write(TextWriter output, RunResult run, string reference)
    {
        var concurrent = run.Concurrency > 1;
        output.WriteLine();
        output.WriteLine($"### {run.Title}");
        output.WriteLine();
        output.WriteLine($"Ratios and differences are against \"{reference}\" unless the row names another. Load average (1 min) along the run: {LoadRange(run.LoadAverages)}.");
        output.WriteLine();
        var header = "| variant | against | n (c=1) | p50 ms | p95 ms | p99 ms | p50 ÷ ref | p50 − ref (ms)";
        var rule = "|---|---|---:|---:|---:|---:|---:|---:";
        if (concurrent)
        {
            header += $" | req/s at c={run.Concurrency} | ÷ ref | p50 ms at c={run.Concurrency}";
            rule += "|---:|---:|---:";
        }
        output.WriteLine(header + " |");
        output.WriteLine(rule + "|");
        foreach (var variant in run.Variants)
        {
            var against = variant.Reference ?? reference;
            var baseline = run.Variants.Single(v => v.Name == against);
            var sorted = Percentiles.Sorted(variant.Sequential);
            var ratio = Percentiles.Median(variant.RoundP50Ms.Select((p, r) => p / baseline.RoundP50Ms[r]));
            var added = Percentiles.Median(variant.RoundP50Ms.Select((p, r) => p - baseline.RoundP50Ms[r]));
            var line = $"| {variant.Name} | {(against == variant.Name ? "(itself)" : against)} | {sorted.Length:#,0} | {Ms(Percentiles.NearestRankMs(sorted, 0.50))} | {Ms(Percentiles.NearestRankMs(sorted, 0.95))} | {Ms(Percentiles.NearestRankMs(sorted, 0.99))} | {Ratio(ratio)} | {Signed(added)}";
            if (concurrent)
            {
                var throughput = Percentiles.Median(variant.RoundThroughput);
                var throughputRatio = Percentiles.Median(variant.RoundThroughput.Select((t, r) => t / baseline.RoundThroughput[r]));
                var p50Concurrent = Percentiles.NearestRankMs(Percentiles.Sorted(variant.Concurrent), 0.50);
                line += $" | {throughput.ToString("#,0", CultureInfo.InvariantCulture)} | {Ratio(throughputRatio)} | {Ms(p50Concurrent)}";
            }
            output.WriteLine(line + " |");
        }
        output.Flush();
    }

    private static string LoadRange(IReadOnlyList<double> loads)
    {
        var known = loads.Where(l => !double.IsNaN(l)).ToArray();
        if (known.Length == 0) return "unknown";
        return $"{known.Min().ToString("0.00", CultureInfo.InvariantCulture)} to {known.Max().ToString("0.00", CultureInfo.InvariantCulture)} (median {Percentiles.Median(known).ToString("0.00", CultureInfo.InvariantCulture)})";
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms switch
    {
        < 0.1 => ms.ToString("0.0000", CultureInfo.InvariantCulture),
        < 10 => ms.ToString("0.000", CultureInfo.InvariantCulture),
        _ => ms.ToString("0.0", CultureInfo.InvariantCulture),
    };

    private static string Ratio(double ratio) => double.IsNaN(ratio) ? "n/a" : ratio switch
    {
        < 10 => ratio.ToString("0.00", CultureInfo.InvariantCulture),
        _ => ratio.ToString("#,0", CultureInfo.InvariantCulture),
    };

    private static string Signed(double ms) => double.IsNaN(ms) ? "n/a" : (ms >= 0 ? "+" : "−") + Ms(Math.Abs(ms));
}
