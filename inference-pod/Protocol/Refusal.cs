using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Metrics;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// Turns what a data-plane handler caught into the protocol's answer: the error it means, the
/// rejection it counts, and the <c>{"error": "..."}</c> body with Retry-After where retrying helps.
/// </summary>
public sealed class Refusal(InferenceScheduler scheduler, PodMetricSet metrics, ILogger<Refusal> logger)
{
    /// <summary>The protocol error for an exception: the data plane's own as they are, a bad HTTP body by its status, a client that left as 499, anything else as a logged 500.</summary>
    public InferenceError From(Exception exception, CancellationToken aborted)
    {
        switch (exception)
        {
            case InferenceError error:
                return error;
            case BadHttpRequestException bad:
                return new InferenceError(bad.StatusCode, bad.Message, PodMetrics.Reasons.BadRequest);
            case OperationCanceledException or IOException when aborted.IsCancellationRequested:
                return ScheduledRun.ClientGone;
            default:
                // A defect, not a client error: answer in the protocol's shape and keep serving.
                logger.LogError(exception, "Inference request failed unexpectedly");
                return new InferenceError(StatusCodes.Status500InternalServerError, $"internal error: {exception.Message}");
        }
    }

    /// <summary>Counts the rejection (unless told not to) and writes the error; returns the status code.</summary>
    public async Task<int> WriteAsync(HttpContext context, InferenceError error, bool countRejection = true)
    {
        if (error.RejectionReason is { } reason && countRejection) metrics.CountRejection(reason);
        if (ReferenceEquals(error, ScheduledRun.ClientGone) || context.RequestAborted.IsCancellationRequested) return error.StatusCode;
        if (error.StatusCode >= 500) logger.LogWarning("Inference request answered {Status}: {Message}", error.StatusCode, error.Message);
        int? retryAfter = error.RetryAfterSeconds ?? error.StatusCode switch
        {
            StatusCodes.Status429TooManyRequests => scheduler.EstimateRetryAfterSeconds(),
            StatusCodes.Status503ServiceUnavailable => 1,
            _ => null,
        };
        try
        {
            await ErrorResponse.WriteAsync(context.Response, error.StatusCode, error.Message, retryAfter);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client went away while we answered; nothing is left to tell it.
        }
        return error.StatusCode;
    }
}
