using Platform.Contracts;

namespace Platform.InferencePod.RateLimiting;

/// <summary>Checks the "RateLimits" section; each problem is one line naming its key.</summary>
public static class RateLimitOptionsValidator
{
    public static List<string> Validate(RateLimitOptions options)
    {
        var errors = new List<string>();
        if (!RateWindow.TryParseList(options.Limits, out _, out var error))
            errors.Add($"{PodSettings.RateLimitsLimits} {error} (got '{options.Limits}')");
        if (!IsHeaderName(options.ApiKeyHeader))
            errors.Add($"{PodSettings.RateLimitsApiKeyHeader} '{options.ApiKeyHeader}' is not a valid header name");
        if (!IsHeaderName(options.ForwardedHeader))
            errors.Add($"{PodSettings.RateLimitsForwardedHeader} '{options.ForwardedHeader}' is not a valid header name");
        if (options.MaxClients is < 1 or > 1_000_000)
            errors.Add($"{PodSettings.RateLimitsMaxClients} must be between 1 and 1000000 (got {options.MaxClients})");
        return errors;
    }

    /// <summary>An HTTP field name (an RFC 9110 token), or empty for "not used".</summary>
    private static bool IsHeaderName(string name) =>
        name.Length <= 256 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));
}
