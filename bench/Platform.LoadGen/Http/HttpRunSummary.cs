using Platform.LoadGen.Measurement;

namespace Platform.LoadGen.Http;

/// <summary>
/// The results of one HTTP run over its measured window. Latencies run from the intended send to the
/// end of the answer; rejections (429) are summarized apart from successes.
/// </summary>
internal sealed record HttpRunSummary(
    string Mode,
    int? Concurrency,
    double? TargetRate,
    string Payload,
    int Batch,
    double WindowSeconds,
    long Requests,
    long Successes,
    double ThroughputPerSecond,
    double RowsPerSecond,
    double GoodputPerSecond,
    double? SloMs,
    LatencySummary? Latency,
    LatencySummary? RejectionLatency,
    LatencySummary? SendLag,
    IReadOnlyDictionary<string, long> Outcomes,
    double? MeanServerBatchSize)
{
    /// <summary>Summarizes a recording; pure.</summary>
    public static HttpRunSummary From(
        LoadRecording recording, HttpOptions options, long ticksPerSecond, double? meanServerBatchSize)
    {
        var samples = recording.Samples;
        var seconds = Math.Max((double)(recording.End - recording.Start) / ticksPerSecond, 1e-9);
        var successes = samples.Where(s => s.Succeeded).ToList();
        var sloTicks = options.EffectiveSloMs is { } slo ? (long)(slo / 1000 * ticksPerSecond) : long.MaxValue;
        var open = options.Mode == LoadMode.Open;
        return new HttpRunSummary(
            open ? "open" : "closed",
            open ? null : options.Concurrency,
            open ? options.Rate : null,
            options.Payload == PayloadKind.Binary ? "binary" : "json",
            options.Batch,
            seconds,
            samples.Count,
            successes.Count,
            successes.Count / seconds,
            successes.Count * (double)options.Batch / seconds,
            successes.Count(s => s.Latency <= sloTicks) / seconds,
            options.EffectiveSloMs,
            LatencySummary.FromTicks(successes.Select(s => s.Latency), ticksPerSecond),
            LatencySummary.FromTicks(samples.Where(s => s.Rejected).Select(s => s.Latency), ticksPerSecond),
            open ? LatencySummary.FromTicks(samples.Select(s => s.Sent - s.Intended), ticksPerSecond) : null,
            samples.GroupBy(s => s.OutcomeKey).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count()),
            meanServerBatchSize);
    }
}
