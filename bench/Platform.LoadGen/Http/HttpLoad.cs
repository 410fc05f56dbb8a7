namespace Platform.LoadGen.Http;

/// <summary>One measured HTTP run: the load itself plus a /metrics scrape at each end of the window.</summary>
internal static class HttpLoad
{
    public static async Task<HttpRunSummary> RunAsync(
        InferenceClient client, PreparedRequest request, HttpOptions options, TimeProvider time, CancellationToken cancel)
    {
        var arrivals = options.Mode == LoadMode.Open
            ? ArrivalSchedule.Offsets(options.Arrivals, options.Rate!.Value, options.Warmup + options.Duration, options.Seed)
            : null;
        var scrapeAtWindowStart = ScrapeAfterAsync(client, options.Warmup, time, cancel);
        var recording = arrivals is null
            ? await new ClosedLoop(client, request, time).RunAsync(options.Concurrency, options.Warmup, options.Duration, cancel)
            : await new OpenLoop(client, request, time).RunAsync(arrivals, options.Warmup, options.Duration, cancel);
        var before = await scrapeAtWindowStart;
        var after = await client.ScrapeBatchStatsAsync(CancellationToken.None);
        return HttpRunSummary.From(recording, options, time.TimestampFrequency, ServerBatchStats.MeanBetween(before, after));
    }

    private static async Task<ServerBatchStats?> ScrapeAfterAsync(InferenceClient client, TimeSpan delay, TimeProvider time, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(delay, time, cancel);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        return await client.ScrapeBatchStatsAsync(cancel);
    }
}
