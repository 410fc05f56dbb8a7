using System.Text.Json.Serialization;
using Platform.Contracts;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

[Description("Per-client request quotas of each replica; a client over a quota gets 429 with RateLimit headers. Quotas are kept per replica, so a client may get up to replicas times the quota through the Service. When omitted, no rate limiting.")]
public sealed class RateLimitsSpec
{
    /// <summary>An HTTP field name (RFC 9110 token), or empty.</summary>
    public const string HeaderNamePattern = "^[-A-Za-z0-9!#$%&'*+.^_`|~]*$";

    [JsonPropertyName("limits")]
    [Required]
    [Length(1, 1024)]
    [Pattern(RateLimitGrammar.Pattern)]
    [Description("Comma-separated quotas that all apply at once, each <count>/<window>: e.g. '2/s, 5/min, 100/h' or '50/10s'. Units s, sec, m, min, h, d (and their long forms); 1 to 1000000 requests per window of 1 second to 7 days, each window length once.")]
    public string Limits { get; set; } = "";

    [JsonPropertyName("apiKeyHeader")]
    [Length(0, 256)]
    [Pattern(HeaderNamePattern)]
    [Description("Request header whose value identifies a client; empty keys clients by address only. Pod default: X-Api-Key.")]
    public string? ApiKeyHeader { get; set; }

    [JsonPropertyName("forwardedHeader")]
    [Length(0, 256)]
    [Pattern(HeaderNamePattern)]
    [Description("Header in which a trusted proxy in front of the Service passes the client address (e.g. X-Forwarded-For); the first hop is the client. When omitted, the connection's address.")]
    public string? ForwardedHeader { get; set; }

    [JsonPropertyName("maxClients")]
    [Range(1, 1000000)]
    [Description("Most clients whose quota state a replica keeps; beyond it the least recently seen is forgotten. Pod default: 10000.")]
    public int? MaxClients { get; set; }
}
