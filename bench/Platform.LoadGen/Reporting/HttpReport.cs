using System.Globalization;
using Platform.LoadGen.Http;
using Platform.LoadGen.Measurement;

namespace Platform.LoadGen.Reporting;

/// <summary>The human-readable report of one HTTP run.</summary>
internal static class HttpReport
{
    public static void Print(HttpRunSummary s, TextWriter output)
    {
        var load = s.Mode == "open"
            ? $"open loop at {Format.Rate(s.TargetRate)} req/s (latency from the intended send)"
            : $"closed loop, {Format.Clients(s.Concurrency)}";
        output.WriteLine($"{load}, {s.Payload} payload, batch {s.Batch}, window {Format.Seconds(s.WindowSeconds)}");

        var rates = new TextTable("measure", "value")
            .Row("requests", Format.Count(s.Requests))
            .Row("successes", Format.Count(s.Successes))
            .Row("throughput (successes/s)", Format.Rate(s.ThroughputPerSecond))
            .Row("rows/s", Format.Rate(s.RowsPerSecond))
            .Row(s.SloMs is { } slo ? $"goodput (successes within {Format.Ms(slo)} ms /s)" : "goodput (successes/s, no SLO)", Format.Rate(s.GoodputPerSecond))
            .Row("server mean batch size", s.MeanServerBatchSize is { } b ? b.ToString("0.00", CultureInfo.InvariantCulture) : "n/a");
        rates.WriteTo(output);
        output.WriteLine();

        var latency = new TextTable("latency ms", "count", "mean", "p50", "p95", "p99", "max");
        AddLatency(latency, "successes", s.Latency);
        AddLatency(latency, "rejections (429)", s.RejectionLatency);
        AddLatency(latency, "send lag (generator)", s.SendLag);
        latency.WriteTo(output);
        output.WriteLine();

        var outcomes = new TextTable("outcome", "count", "share");
        foreach (var (key, count) in s.Outcomes)
        {
            outcomes.Row(key, Format.Count(count), (count / (double)Math.Max(1, s.Requests)).ToString("0.0%", CultureInfo.InvariantCulture));
        }
        outcomes.WriteTo(output);
    }

    private static void AddLatency(TextTable table, string label, LatencySummary? l)
    {
        if (l is not null)
        {
            table.Row(label, Format.Count(l.Count), Format.Ms(l.MeanMs), Format.Ms(l.P50Ms), Format.Ms(l.P95Ms), Format.Ms(l.P99Ms), Format.Ms(l.MaxMs));
        }
    }
}
