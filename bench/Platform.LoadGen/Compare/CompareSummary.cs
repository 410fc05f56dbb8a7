using Platform.LoadGen.Http;
using Platform.LoadGen.Raw;

namespace Platform.LoadGen.Compare;

/// <summary>What the server gets out of the model, against what the model alone can do.</summary>
internal sealed record CompareSummary(
    double CeilingRowsPerSecond,
    int CeilingBatch,
    IReadOnlyList<ServerShare> Runs,
    double? RawRunP50Ms,
    double? HttpP50MsAtConcurrency1,
    double? AddedMedianLatencyMs)
{
    /// <summary>Pure: the ceiling is the best raw rows/s over the sweep; the added latency compares concurrency 1 with one bare Run at the request's batch size.</summary>
    public static CompareSummary From(IReadOnlyList<RawRunSummary> raw, IReadOnlyList<HttpRunSummary> http, int requestBatch)
    {
        var best = raw.MaxBy(r => r.RowsPerSecond) ?? throw new LoadGenException("the raw sweep measured nothing");
        var rawP50 = raw.FirstOrDefault(r => r.Batch == requestBatch)?.RunLatency.P50Ms;
        var httpP50 = http.FirstOrDefault(h => h.Concurrency == 1)?.Latency?.P50Ms;
        return new CompareSummary(
            best.RowsPerSecond,
            best.Batch,
            http.Select(h => new ServerShare(
                h.Concurrency ?? 0,
                h.RowsPerSecond,
                h.RowsPerSecond / best.RowsPerSecond,
                h.Latency?.P50Ms,
                h.Latency?.P99Ms,
                h.Requests - h.Successes,
                h.MeanServerBatchSize)).ToList(),
            rawP50,
            httpP50,
            httpP50 - rawP50);
    }
}

/// <summary>One HTTP run's rows/s as a fraction of the raw ceiling.</summary>
internal sealed record ServerShare(
    int Concurrency,
    double RowsPerSecond,
    double ShareOfCeiling,
    double? P50Ms,
    double? P99Ms,
    long Failures,
    double? MeanServerBatchSize);
