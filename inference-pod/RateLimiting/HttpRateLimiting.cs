using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.RateLimiting;

/// <summary>
/// Applies the per-client quotas to an inference call, REST or gRPC, before it is decoded or
/// admitted, so a refused request never takes a queue slot. Sets the RateLimit headers on the
/// response; a refusal is a 429 <see cref="InferenceError"/> with the quota's Retry-After.
/// Does nothing when no quota is configured.
/// </summary>
public sealed class HttpRateLimiting : IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly ClientQuotas? _quotas;
    private readonly string _policy = "";

    public HttpRateLimiting(PodOptions options, TimeProvider time)
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

    /// <summary>Takes one request from the caller's quotas or throws the 429 that refuses it.</summary>
    public void Acquire(HttpContext context)
    {
        if (_quotas is null) return;
        var client = ClientKeys.Resolve(context.Request.Headers, context.Connection.RemoteIpAddress, _options);
        var decision = _quotas.TryAcquire(client);
        var headers = context.Response.Headers;
        headers[InferenceProtocol.RateLimitPolicyHeader] = _policy;
        headers[InferenceProtocol.RateLimitHeader] = RateLimitHeaders.Limit(decision);
        if (decision.Allowed) return;
        var seconds = RateLimitHeaders.RetryAfterSeconds(decision);
        throw new InferenceError(StatusCodes.Status429TooManyRequests,
            $"rate limit exceeded: at most {decision.Window.Permits} requests per {decision.Window.WindowSeconds} s for this client; retry in {seconds} s",
            PodMetrics.Reasons.RateLimited)
        {
            RetryAfterSeconds = seconds,
        };
    }

    public void Dispose() => _quotas?.Dispose();
}
