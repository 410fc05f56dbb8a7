namespace Platform.LoadGen.Http;

/// <summary>N clients, each sending its next request as soon as its previous one is answered.</summary>
internal sealed class ClosedLoop(InferenceClient client, PreparedRequest request, TimeProvider time)
{
    public async Task<LoadRecording> RunAsync(int concurrency, TimeSpan warmup, TimeSpan duration, CancellationToken cancel)
    {
        var start = time.GetTimestamp();
        var measureStart = start + Ticks(warmup);
        var measureEnd = measureStart + Ticks(duration);
        var stoppedAt = long.MaxValue;
        using var stop = cancel.Register(() => Interlocked.Exchange(ref stoppedAt, time.GetTimestamp()));

        var clients = Enumerable.Range(0, concurrency)
            .Select(_ => Task.Run(() => ClientAsync(measureStart, measureEnd, cancel)))
            .ToArray();
        var perClient = await Task.WhenAll(clients);

        var end = Math.Max(measureStart, Math.Min(measureEnd, Interlocked.Read(ref stoppedAt)));
        return new LoadRecording(perClient.SelectMany(s => s).ToList(), measureStart, end);
    }

    private async Task<List<RequestSample>> ClientAsync(long measureStart, long measureEnd, CancellationToken cancel)
    {
        var samples = new List<RequestSample>(capacity: 1024);
        while (!cancel.IsCancellationRequested)
        {
            var sent = time.GetTimestamp();
            if (sent >= measureEnd)
            {
                break;
            }
            var (outcome, status) = await client.SendAsync(request);
            if (sent >= measureStart)
            {
                samples.Add(new RequestSample(sent, sent, time.GetTimestamp(), outcome, status));
            }
        }
        return samples;
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);
}
