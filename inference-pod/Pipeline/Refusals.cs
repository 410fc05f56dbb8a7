using Platform.Contracts;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Pipeline;

/// <summary>The pipeline's refusals, in one place, each with the status and rejection reason it is answered and counted with.</summary>
public static class Refusals
{
    public static readonly InferenceError ClientGone = new(499, "client disconnected", PodMetrics.Reasons.ClientDisconnected);

    public static readonly InferenceError Draining = new(StatusCodes.Status503ServiceUnavailable,
        "the server is shutting down and admits no new requests; retry on another replica", PodMetrics.Reasons.Draining);

    public static InferenceError NotReady(string model) => new(StatusCodes.Status503ServiceUnavailable,
        $"model '{model}' is warming up and not ready yet", PodMetrics.Reasons.NotReady);

    public static InferenceError QueueFull(int capacity) => new(StatusCodes.Status429TooManyRequests,
        $"the queue is full ({capacity} requests); retry later", PodMetrics.Reasons.QueueFull);

    /// <summary>The 429 of a backlog that would outlast the request's deadline.</summary>
    public static InferenceError BacklogTooLong(TimeSpan backlog) => new(StatusCodes.Status429TooManyRequests,
        $"the queue holds about {backlog.TotalMilliseconds:F0} ms of work, more than this request's deadline allows; retry later",
        PodMetrics.Reasons.QueueFull);

    /// <summary>The 504 of a request whose own compute does not fit its deadline, whatever the queue holds: retrying does not help.</summary>
    public static InferenceError ComputeExceedsDeadline(TimeSpan compute, TimeSpan remaining) => new(StatusCodes.Status504GatewayTimeout,
        $"this request needs about {compute.TotalMilliseconds:F0} ms of compute but its deadline leaves {Math.Max(0, remaining.TotalMilliseconds):F0} ms; it was not computed (allow a longer timeout)",
        PodMetrics.Reasons.Deadline);

    /// <summary>The 504 of a request whose deadline passed before it could start.</summary>
    public static InferenceError DeadlinePassedBeforeStart(TimeSpan elapsed) => new(StatusCodes.Status504GatewayTimeout,
        $"the request's deadline passed {elapsed.TotalMilliseconds:F0} ms after it arrived, before compute could start; it was not computed",
        PodMetrics.Reasons.Deadline);

    /// <summary>The 408 of a body that finished arriving after the server's deadline for it.</summary>
    public static InferenceError BodyArrivedTooLate(TimeSpan elapsed, TimeSpan maxWait) => new(StatusCodes.Status408RequestTimeout,
        $"the request body took {elapsed.TotalMilliseconds:F0} ms to arrive, past the {maxWait.TotalMilliseconds:F0} ms the server waits for a request ({PodSettings.QueueDefaultTimeoutMs}); it was not computed",
        PodMetrics.Reasons.Deadline);

    /// <summary>The 504 of a call whose transport deadline (gRPC) passed while it waited.</summary>
    public static InferenceError TransportDeadlinePassed(TimeSpan elapsed) => new(StatusCodes.Status504GatewayTimeout,
        $"the call's deadline passed after {elapsed.TotalMilliseconds:F0} ms, before its outputs were ready", PodMetrics.Reasons.Deadline);
}
