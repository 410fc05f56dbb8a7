namespace Platform.InferencePod.TestSupport;

/// <summary>Waits for a condition the pod reaches on its own (a queue depth, a held run, a metric), checking every 5 ms.</summary>
public static class Polling
{
    /// <summary>Completes once <paramref name="condition"/> holds; throws naming <paramref name="what"/> when <paramref name="timeout"/> passes first.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what()}");
            await Task.Delay(5);
        }
    }
}
