using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace Platform.Operator.Controller;

/// <summary>
/// A write the API server refused for a reason the operator should show (4xx and 5xx), as
/// opposed to the answers that retrying handles by itself: 409 (a stale read; reconcile again
/// from the newer state) and 429 (throttling; retry after the time the server asks).
/// </summary>
public static class ApiRefusal
{
    /// <summary>"{what} was refused (500 InternalError): {the server's message}", or null when <paramref name="e"/> is no such refusal.</summary>
    public static string? Describe(Exception e, string what)
    {
        if (e is not HttpOperationException { Response: { } response }) return null;
        var code = (int)response.StatusCode;
        if (code < 400 || response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests) return null;
        var (reason, message) = StatusOf(response.Content);
        return $"{what} was refused ({code} {reason ?? response.ReasonPhrase}): {message ?? Trim(response.Content) ?? "no message"}";
    }

    /// <summary>Whether retrying the same write soon can succeed (a server-side failure) rather than needing a change (a 4xx).</summary>
    public static bool IsServerSide(Exception e) => e is HttpOperationException { Response.StatusCode: >= HttpStatusCode.InternalServerError };

    private static (string? Reason, string? Message) StatusOf(string? content)
    {
        if (string.IsNullOrWhiteSpace(content)) return (null, null);
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null);
            return (root.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null,
                root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Trim(string? content) =>
        string.IsNullOrWhiteSpace(content) ? null : content.Length > 512 ? content[..509] + "..." : content;
}
