using System.Globalization;
using System.Text;

namespace Platform.InferencePod.RateLimiting;

/// <summary>
/// The RateLimit-Policy and RateLimit header values of draft-ietf-httpapi-ratelimit-headers:
/// <c>"5-per-60s";q=5;w=60</c> per quota, and <c>"5-per-60s";r=0;t=12</c> for the quota that decides.
/// </summary>
public static class RateLimitHeaders
{
    public static string Policy(IReadOnlyList<RateWindow> windows)
    {
        var text = new StringBuilder();
        foreach (var window in windows)
        {
            if (text.Length > 0) text.Append(", ");
            text.Append(CultureInfo.InvariantCulture, $"\"{window.Name}\";q={window.Permits};w={window.WindowSeconds}");
        }
        return text.ToString();
    }

    /// <summary>The current limit; "t" (seconds until a request is admitted again) only when none is left.</summary>
    public static string Limit(in RateLimitDecision decision) => decision.Remaining > 0
        ? string.Create(CultureInfo.InvariantCulture, $"\"{decision.Window.Name}\";r={decision.Remaining}")
        : string.Create(CultureInfo.InvariantCulture, $"\"{decision.Window.Name}\";r=0;t={RetryAfterSeconds(decision)}");

    /// <summary>Whole seconds, rounded up and at least 1, until the client may retry.</summary>
    public static int RetryAfterSeconds(in RateLimitDecision decision)
    {
        var wait = decision.Allowed ? decision.Window.Window / decision.Window.Permits : decision.RetryAfter;
        return (int)Math.Clamp(Math.Ceiling(wait.TotalSeconds), 1, int.MaxValue);
    }
}
