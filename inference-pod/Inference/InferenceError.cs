namespace Platform.InferencePod.Inference;

/// <summary>
/// A failure answered to the client with an HTTP status and the protocol's
/// <c>{"error": "..."}</c> body. Thrown anywhere in the data plane, mapped in one place.
/// </summary>
public sealed class InferenceError(int statusCode, string message, string? rejectionReason = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    /// <summary>The rejection reason label when this error refused the request before compute.</summary>
    public string? RejectionReason { get; } = rejectionReason;
    /// <summary>Seconds the client should wait before retrying, when the error knows better than the queue's estimate.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static InferenceError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message, Platform.Contracts.PodMetrics.Reasons.BadRequest);
    public static InferenceError NotFound(string message) => new(StatusCodes.Status404NotFound, message);
}
