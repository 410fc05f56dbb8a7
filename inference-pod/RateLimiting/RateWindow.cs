using Platform.Contracts;

namespace Platform.InferencePod.RateLimiting;

/// <summary>One quota: at most <see cref="Permits"/> requests per <see cref="Window"/>, named for the RateLimit headers.</summary>
public sealed record RateWindow(int Permits, TimeSpan Window)
{
    /// <summary>The policy's identifier in the RateLimit-Policy and RateLimit headers ("5-per-60s").</summary>
    public string Name => $"{Permits}-per-{WindowSeconds}s";
    public long WindowSeconds => (long)Window.TotalSeconds;

    /// <summary>
    /// Parses "2/s, 5/min, 100/h, 50/10s" into windows ordered from the shortest, by the grammar
    /// the operator checks spec.rateLimits.limits with (<see cref="RateLimitGrammar"/>).
    /// </summary>
    public static bool TryParseList(string text, out RateWindow[] windows, out string error)
    {
        if (!RateLimitGrammar.TryParseList(text, out var quotas, out error))
        {
            windows = [];
            return false;
        }
        windows = [.. quotas.Select(q => new RateWindow(q.Permits, TimeSpan.FromSeconds(q.WindowSeconds)))];
        return true;
    }
}
