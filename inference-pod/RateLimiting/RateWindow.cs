using System.Globalization;

namespace Platform.InferencePod.RateLimiting;

/// <summary>One quota: at most <see cref="Permits"/> requests per <see cref="Window"/>, named for the RateLimit headers.</summary>
public sealed record RateWindow(int Permits, TimeSpan Window)
{
    /// <summary>The policy's identifier in the RateLimit-Policy and RateLimit headers ("5-per-60s").</summary>
    public string Name => $"{Permits}-per-{WindowSeconds}s";
    public long WindowSeconds => (long)Window.TotalSeconds;

    /// <summary>
    /// Parses "2/s, 5/min, 100/h, 50/10s" into windows ordered from the shortest. Windows are whole
    /// seconds (the headers carry seconds) and each length may appear once.
    /// </summary>
    public static bool TryParseList(string text, out RateWindow[] windows, out string error)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = new List<RateWindow>(parts.Length);
        windows = [];
        foreach (var part in parts)
        {
            if (!TryParse(part, out var window, out error)) return false;
            if (parsed.Any(w => w.Window == window.Window))
            {
                error = $"has two quotas over {window.WindowSeconds}s; give each window length once";
                return false;
            }
            parsed.Add(window);
        }
        windows = [.. parsed.OrderBy(w => w.Window)];
        error = "";
        return true;
    }

    private static bool TryParse(string text, out RateWindow window, out string error)
    {
        window = null!;
        error = $"entry '{text}' must look like <count>/<window>, e.g. 2/s, 5/min, 100/h or 50/10s";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return false;
        if (!int.TryParse(text.AsSpan(0, slash).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var permits)) return false;
        var span = text.AsSpan(slash + 1).Trim();
        var digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits])) digits++;
        long multiple = 1;
        if (digits > 0 && !long.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out multiple)) return false;
        long? unitSeconds = span[digits..].Trim().ToString().ToLowerInvariant() switch
        {
            "s" or "sec" or "second" or "seconds" => 1,
            "m" or "min" or "minute" or "minutes" => 60,
            "h" or "hour" or "hours" => 3600,
            "d" or "day" or "days" => 86400,
            _ => null,
        };
        if (unitSeconds is null) return false;
        if (permits < 1 || permits > 1_000_000)
        {
            error = $"entry '{text}' must allow between 1 and 1000000 requests";
            return false;
        }
        var seconds = multiple * unitSeconds.Value;
        if (multiple < 1 || seconds > 7 * 86400)
        {
            error = $"entry '{text}' must have a window between 1 second and 7 days";
            return false;
        }
        window = new RateWindow(permits, TimeSpan.FromSeconds(seconds));
        error = "";
        return true;
    }
}
