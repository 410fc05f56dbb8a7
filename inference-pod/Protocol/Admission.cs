using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Metrics;

namespace Platform.InferencePod.Protocol;

/// <summary>
/// The protocol-neutral middle of every inference call, REST or gRPC: admit a decoded request
/// to the scheduler (or refuse it at once with 429/503), then wait for its outputs until its
/// deadline or until the client goes away, taking it out of the queue in either case.
/// </summary>
public sealed class Admission(InferenceScheduler scheduler, PodMetricSet metrics, TimeProvider time)
{
    public static readonly InferenceError ClientGone = new(499, "client disconnected", PodMetrics.Reasons.ClientDisconnected);
    public static readonly InferenceError Draining = ScheduledRun.Draining;

    /// <summary>
    /// Admits and awaits the request. The result counts as in flight until it is disposed, so
    /// the caller disposes it once the response is written.
    /// </summary>
    public async Task<AdmittedOutputs> RunAsync(InferenceRequest request, long arrivalTimestamp, CancellationToken clientAborted)
    {
        var item = scheduler.CreateWorkItem(request, arrivalTimestamp);
        switch (scheduler.TrySubmit(item))
        {
            case AdmitResult.Full:
                throw new InferenceError(StatusCodes.Status429TooManyRequests,
                    $"the queue is full ({scheduler.Queue.Capacity} requests); retry later", PodMetrics.Reasons.QueueFull);
            case AdmitResult.Closed:
                throw Draining;
        }
        metrics.InFlight.Inc();
        try
        {
            var remaining = time.GetElapsedTime(time.GetTimestamp(), item.DeadlineTimestamp);
            using var deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time);
            using var expire = deadline.Token.UnsafeRegister(static s => { var (sc, it) = ((InferenceScheduler, WorkItem))s!; sc.TryCancel(it, sc.DeadlineExceeded(it)); }, (scheduler, item));
            using var abandon = clientAborted.UnsafeRegister(static s => { var (sc, it) = ((InferenceScheduler, WorkItem))s!; sc.TryCancel(it, ClientGone); }, (scheduler, item));
            return new AdmittedOutputs(await item.Completion, metrics);
        }
        catch
        {
            metrics.InFlight.Dec();
            throw;
        }
    }
}

/// <summary>A request's outputs, in pooled buffers; disposing releases them and ends the request's time in flight.</summary>
public sealed class AdmittedOutputs(OutputTensor[] tensors, PodMetricSet metrics) : IDisposable
{
    private int _disposed;

    public OutputTensor[] Tensors { get; } = tensors;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var tensor in Tensors) tensor.Release();
        metrics.InFlight.Dec();
    }
}
