namespace Platform.InferencePod.RateLimiting;

/// <summary>Per-client quotas on inference requests, REST and gRPC (section "RateLimits"). Off unless <see cref="Limits"/> is set.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Comma-separated quotas that all apply at once, e.g. "2/s, 5/min, 100/h" or "50/10s"; empty turns rate limiting off.</summary>
    public string Limits { get; set; } = "";
    /// <summary>Request header whose value identifies the client; empty keys clients by address only.</summary>
    public string ApiKeyHeader { get; set; } = "X-Api-Key";
    /// <summary>
    /// Header in which a trusted proxy passes the client's address (X-Forwarded-For style lists,
    /// or RFC 7239 Forwarded); the first hop is the client. Empty: the connection's address.
    /// </summary>
    public string ForwardedHeader { get; set; } = "";
    /// <summary>Most clients whose quota state is kept; beyond it the least recently seen one is forgotten.</summary>
    public int MaxClients { get; set; } = 10_000;
}
