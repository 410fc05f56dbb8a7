using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Metrics;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// The one way a decoded request reaches the model: admission into the scheduler's bounded
/// queue (or the protocol's refusal at once), then the wait for its batch, during which its
/// deadline or a cancellation takes it out of the queue before compute.
/// </summary>
public sealed class ScheduledRun(InferenceScheduler scheduler, PodMetricSet metrics, TimeProvider time)
{
    public static readonly InferenceError ClientGone = new(499, "client disconnected", PodMetrics.Reasons.ClientDisconnected);
    public static readonly InferenceError Draining = new(StatusCodes.Status503ServiceUnavailable,
        "the server is shutting down and admits no new requests; retry on another replica", PodMetrics.Reasons.Draining);

    public InferenceScheduler Scheduler => scheduler;

    /// <summary>Admits a request that a client waits for, with the queue's default deadline (or the shorter one it asked for), and awaits its outputs.</summary>
    public Task<OutputTensor[]> RunAsync(InferenceRequest request, long arrivalTimestamp, CancellationToken aborted)
    {
        var item = scheduler.CreateWorkItem(request, arrivalTimestamp);
        // A client that waits is refused at once when the backlog would outlast its deadline.
        if (!scheduler.CanMeetDeadline(item, time.GetTimestamp())) throw BacklogTooLong(scheduler);
        return CompleteAsync(Admit(item), ClientGone, aborted);
    }

    /// <summary>The 429 of a backlog that would outlast the request's deadline.</summary>
    public static InferenceError BacklogTooLong(InferenceScheduler scheduler) => new(StatusCodes.Status429TooManyRequests,
        $"the queue holds about {scheduler.EstimateBacklog().TotalMilliseconds:F0} ms of work, more than this request's deadline allows; retry later",
        PodMetrics.Reasons.QueueFull);

    /// <summary>The 429 of a full queue.</summary>
    public static InferenceError QueueFull(int capacity) => new(StatusCodes.Status429TooManyRequests,
        $"the queue is full ({capacity} requests); retry later", PodMetrics.Reasons.QueueFull);

    /// <summary>Puts the item in the admission queue; throws 429 when it is full and 503 when the pod drains.</summary>
    public WorkItem Admit(WorkItem item)
    {
        switch (scheduler.TrySubmit(item))
        {
            case AdmitResult.Full:
                throw QueueFull(scheduler.Queue.Capacity);
            case AdmitResult.Closed:
                throw Draining;
        }
        metrics.InFlight.Inc();
        return item;
    }

    /// <summary>
    /// Awaits an admitted item's outputs (pooled: the caller releases them). Past its deadline, or
    /// when <paramref name="cancellation"/> fires while it still waits, it leaves the queue unrun
    /// and this throws the deadline error or <paramref name="cancelledError"/>.
    /// </summary>
    public async Task<OutputTensor[]> CompleteAsync(WorkItem item, InferenceError cancelledError, CancellationToken cancellation)
    {
        try
        {
            var remaining = time.GetElapsedTime(time.GetTimestamp(), item.DeadlineTimestamp);
            using var deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time);
            using var onDeadline = deadline.Token.UnsafeRegister(static s => { var (sc, it) = ((InferenceScheduler, WorkItem))s!; sc.TryCancel(it, sc.DeadlineExceeded(it)); }, (scheduler, item));
            using var onCancel = cancellation.UnsafeRegister(static s => { var (sc, it, error) = ((InferenceScheduler, WorkItem, InferenceError))s!; sc.TryCancel(it, error); }, (scheduler, item, cancelledError));
            return await item.Completion;
        }
        finally
        {
            metrics.InFlight.Dec();
        }
    }
}
