using System.Text.Json.Nodes;

namespace Platform.KubeApiDouble;

/// <summary>
/// An API error in Kubernetes form: the HTTP code, the <c>reason</c>, and the <c>Status</c> object the
/// server answers with. Thrown by the store helpers for tests; written as the response body over HTTP.
/// </summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    /// <summary>Seconds a client should wait before retrying (sent as <c>Retry-After</c>), when set.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The <c>Status</c> object of this error, as the API server returns it.</summary>
    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        var details = Details?.DeepClone() as JsonObject;
        if (RetryAfterSeconds is { } retry)
        {
            details ??= new JsonObject();
            details["retryAfterSeconds"] = retry;
        }

        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = Code;
        return status;
    }
}
