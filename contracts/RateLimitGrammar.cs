using System.Globalization;

namespace Platform.Contracts;

/// <summary>
/// The grammar of <see cref="PodSettings.RateLimitsLimits"/>: comma-separated quotas that all apply
/// at once, each "&lt;count&gt;/&lt;window&gt;" such as "2/s", "5/min", "100/h" or "50/10s". The pod
/// parses its setting with it and the operator checks spec.rateLimits.limits with it, so both
/// refuse the same text.
/// </summary>
public static class RateLimitGrammar
{
    /// <summary>Most requests one quota may allow.</summary>
    public const int MaxPermits = 1_000_000;

    /// <summary>Longest window of one quota: 7 days.</summary>
    public const long MaxWindowSeconds = 7 * 86400;

    /// <summary>
    /// An RE2/ECMA pattern for the same lists (lowercase units, no empty entries), for a schema.
    /// Counts and windows are bounded by <see cref="TryParseList"/>, not by the pattern.
    /// </summary>
    public const string Pattern =
        "^ *[0-9]+ */ *[0-9]* *(s|sec|seconds?|m|min|minutes?|h|hours?|d|days?) *( *, *[0-9]+ */ *[0-9]* *(s|sec|seconds?|m|min|minutes?|h|hours?|d|days?) *)*$";

    /// <summary>One quota: at most <see cref="Permits"/> requests per <see cref="WindowSeconds"/>.</summary>
    public readonly record struct Quota(int Permits, long WindowSeconds);

    /// <summary>
    /// Parses a list into quotas ordered from the shortest window. Windows are whole seconds and
    /// each length may appear once; empty text is an empty list (rate limiting off).
    /// </summary>
    public static bool TryParseList(string? text, out Quota[] quotas, out string error)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = new List<Quota>(parts.Length);
        quotas = [];
        foreach (var part in parts)
        {
            if (!TryParse(part, out var quota, out error)) return false;
            if (parsed.Any(q => q.WindowSeconds == quota.WindowSeconds))
            {
                error = $"has two quotas over {quota.WindowSeconds}s; give each window length once";
                return false;
            }
            parsed.Add(quota);
        }
        quotas = [.. parsed.OrderBy(q => q.WindowSeconds)];
        error = "";
        return true;
    }

    private static bool TryParse(string text, out Quota quota, out string error)
    {
        quota = default;
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
        if (permits < 1 || permits > MaxPermits)
        {
            error = $"entry '{text}' must allow between 1 and {MaxPermits} requests";
            return false;
        }
        if (multiple < 1 || multiple > MaxWindowSeconds || multiple * unitSeconds.Value > MaxWindowSeconds)
        {
            error = $"entry '{text}' must have a window between 1 second and 7 days";
            return false;
        }
        quota = new Quota(permits, multiple * unitSeconds.Value);
        error = "";
        return true;
    }
}
