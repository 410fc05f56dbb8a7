using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.RateLimiting;

/// <summary>
/// The per-client quotas every inference route applies, before a request is decoded or
/// admitted, so a refused request never takes a queue slot. A refusal is a 429
/// <see cref="InferenceError"/> with the quota's Retry-After. Does nothing when no quota is
/// configured.
/// </summary>
public sealed class RequestQuotas : IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly ClientQuotas? _quotas;
    private readonly string _policy = "";

    public RequestQuotas(PodOptions options, TimeProvider time)
    {
        _options = options.RateLimits;
        if (RateWindow.TryParseList(_options.Limits, out var windows, out _) && windows.Length > 0)
        {
            _quotas = new ClientQuotas(windows, _options.MaxClients, time);
            _policy = RateLimitHeaders.Policy(windows);
        }
    }

    public bool Enabled => _quotas is not null;

    /// <summary>Clients whose quota state is kept (0 when off).</summary>
    public int TrackedClients => _quotas?.Count ?? 0;

    /// <summary>Who an HTTP (or gRPC) call counts against; null when no quota is configured.</summary>
    public string? ClientKeyOf(HttpContext context) => _quotas is null ? null
        : ClientKeys.Resolve(context.Request.Headers, context.Connection.RemoteIpAddress, _options);

    /// <summary>Takes one request from the client's quotas; null when no quota is configured.</summary>
    public RateLimitDecision? Acquire(string clientKey) => _quotas?.TryAcquire(clientKey);

    /// <summary>The 429 that refuses a call over its quota, with the quota's Retry-After.</summary>
    public static InferenceError Refusal(in RateLimitDecision decision)
    {
        var seconds = RateLimitHeaders.RetryAfterSeconds(decision);
        return new InferenceError(StatusCodes.Status429TooManyRequests,
            $"rate limit exceeded: at most {decision.Window.Permits} requests per {decision.Window.WindowSeconds} s for this client; retry in {seconds} s",
            PodMetrics.Reasons.RateLimited)
        {
            RetryAfterSeconds = seconds,
        };
    }

    /// <summary>The RateLimit-Policy and RateLimit headers of a call that a quota applied to.</summary>
    public void WriteHeaders(HttpResponse response, RateLimitDecision? decision)
    {
        if (decision is not { } applied) return;
        response.Headers[InferenceProtocol.RateLimitPolicyHeader] = _policy;
        response.Headers[InferenceProtocol.RateLimitHeader] = RateLimitHeaders.Limit(applied);
    }

    public void Dispose() => _quotas?.Dispose();
}
