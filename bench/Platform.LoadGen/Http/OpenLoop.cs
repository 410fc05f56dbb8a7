namespace Platform.LoadGen.Http;

/// <summary>
/// Requests released on a fixed schedule, whatever the server does. A dedicated thread sleeps until the
/// next intended time and hands every request that is due to the thread pool, never waiting for answers,
/// so a slow server cannot slow the arrivals. Its timer ticks about once a millisecond: requests due
/// within one tick leave together, and the lateness counts in their latency (measured from the intended time).
/// </summary>
internal sealed class OpenLoop(InferenceClient client, PreparedRequest request, TimeProvider time)
{
    public async Task<LoadRecording> RunAsync(double[] offsetsSeconds, TimeSpan warmup, TimeSpan duration, CancellationToken cancel)
    {
        var samples = new RequestSample[offsetsSeconds.Length];
        var sends = new Task[offsetsSeconds.Length];
        var dispatched = 0;
        var stoppedAt = long.MaxValue;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = time.GetTimestamp();

        var dispatcher = new Thread(() =>
        {
            try
            {
                for (; dispatched < offsetsSeconds.Length; dispatched++)
                {
                    var due = start + Ticks(offsetsSeconds[dispatched]);
                    if (!SleepUntil(due, cancel))
                    {
                        stoppedAt = time.GetTimestamp();
                        break;
                    }
                    var index = dispatched;
                    sends[index] = SendAsync(samples, index, due);
                }
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = "loadgen open-loop dispatcher" };
        dispatcher.Start();
        await done.Task;
        await Task.WhenAll(sends.Take(dispatched));

        var measureStart = start + Ticks(warmup.TotalSeconds);
        var measureEnd = Math.Max(measureStart, Math.Min(measureStart + Ticks(duration.TotalSeconds), stoppedAt));
        var measured = samples.Take(dispatched).Where(s => s.Intended >= measureStart && s.Intended < measureEnd).ToList();
        return new LoadRecording(measured, measureStart, measureEnd);
    }

    private async Task SendAsync(RequestSample[] samples, int index, long intended)
    {
        var sent = time.GetTimestamp();
        var (outcome, status) = await client.SendAsync(request);
        samples[index] = new RequestSample(intended, sent, time.GetTimestamp(), outcome, status);
    }

    /// <summary>Sleeps in whole milliseconds (never spins) until <paramref name="due"/>; false when cancelled.</summary>
    private bool SleepUntil(long due, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            var remaining = due - time.GetTimestamp();
            if (remaining <= 0)
            {
                return true;
            }
            Thread.Sleep(Math.Max(1, (int)Math.Min(100, remaining * 1000 / time.TimestampFrequency)));
        }
        return false;
    }

    private long Ticks(double seconds) => (long)(seconds * time.TimestampFrequency);
}
