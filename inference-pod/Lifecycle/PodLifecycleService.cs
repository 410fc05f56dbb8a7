using Microsoft.AspNetCore.Hosting.Server;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Grpc;
using Platform.InferencePod.Memory;
using Platform.InferencePod.Pipeline;

namespace Platform.InferencePod.Lifecycle;

/// <summary>
/// Starts the batch loops, turns the pod ready once warm-up has run, and on shutdown drains:
/// not ready and no new admissions at once, then waits up to the drain timeout for every
/// admitted request to be answered, before the server stops (the drain runs in the host's
/// "stopping" phase, ahead of the server's own stop), and logs how many were answered and how
/// many the timeout cut off.
/// </summary>
public sealed class PodLifecycleService(
    InferenceScheduler scheduler,
    InferencePipeline pipeline,
    PodState state,
    WarmupConnections warmup,
    PodOptions options,
    TimeProvider time,
    IServer server,
    ListenEndpoints grpcEndpoints,
    IHostApplicationLifetime lifetime,
    ILogger<PodLifecycleService> logger) : IHostedLifecycleService, IDisposable
{
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(10);
    private readonly CancellationTokenSource _stopping = new();
    private int _drained;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        scheduler.Start();
        _ = WarmUpAsync();
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WarmUpAsync()
    {
        try
        {
            var started = time.GetTimestamp();
            await scheduler.WarmedUp;
            var bodies = await ProtocolWarmup.RunAsync(pipeline, time, _stopping.Token);
            // The search's unused sessions and the warm-up's buffers go back to the system here, before
            // the HTTP and gRPC warm-ups: they touch again what serving needs, so the first request does
            // not fault it back in (trimmed last, mobilenet_v2's first request took 1.4-2x the next ones).
            MallocArenas.ReturnFreedMemory();
            await WhenStartedAsync();
            await HttpWarmup.RunAsync(server, warmup, scheduler.Metadata.Name, bodies, logger, _stopping.Token);
            await GrpcWarmup.RunAsync(grpcEndpoints, warmup, scheduler.Metadata, logger, _stopping.Token);
            await MetricsWarmup.RunAsync(scheduler.Metadata.Name, _stopping.Token);
            if (_stopping.IsCancellationRequested) return;
            state.MarkWarmedUp();
            logger.LogInformation("Model '{Model}' warmed up in {Seconds:F2} s; ready", scheduler.Metadata.Name, time.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception e)
        {
            if (_stopping.IsCancellationRequested) return;
            // A model that cannot run its warm-up cannot serve: exit so the failure is visible (restarts, events).
            var message = e is StartupException ? e.Message : $"warm-up failed: {e.Message.Split('\n')[0]}";
            logger.LogCritical("{Message}", message);
            Console.Error.WriteLine($"inference-pod: {message}");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private Task WhenStartedAsync()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        _stopping.Token.Register(() => started.TrySetCanceled());
        return started.Task;
    }

    /// <summary>The host's first shutdown step, before the server stops: not ready, admit nothing, answer what was admitted.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _drained, 1) == 1) return;
        state.BeginDraining();
        _stopping.Cancel();
        scheduler.BeginDrain();
        var admitted = pipeline.OpenAdmitted;
        logger.LogInformation("Draining: not ready, admitting nothing new, {Admitted} admitted requests to answer ({Queued} queued)", admitted, scheduler.QueuedRequests);
        var started = time.GetTimestamp();
        var timeout = options.Server.DrainTimeout;
        while (pipeline.OpenAdmitted > 0 && time.GetElapsedTime(started) < timeout && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(DrainPoll, time, CancellationToken.None);
        }
        var open = pipeline.OpenAdmitted;
        if (open == 0)
        {
            logger.LogInformation("Drained in {Seconds:F2} s: all {Admitted} admitted requests were answered", time.GetElapsedTime(started).TotalSeconds, admitted);
        }
        else
        {
            logger.LogWarning("Drain timed out after {Seconds} s ({Setting}): {Answered} of {Admitted} admitted requests were answered, {CutOff} are cut off ({Queued} still queued)",
                options.Server.DrainTimeoutSeconds, Platform.Contracts.PodSettings.ServerDrainTimeoutSeconds, Math.Max(0, admitted - open), Math.Max(admitted, open), open, scheduler.QueuedRequests);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => StoppingAsync(cancellationToken);

    /// <summary>
    /// A host whose start failed (another process holds a port) is disposed without stopping: the
    /// warm-up still running must end quietly, not report the runs of a model being disposed as a
    /// second error line. This service depends on the scheduler, so it is disposed before the model.
    /// </summary>
    public void Dispose() => _stopping.Cancel();

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
