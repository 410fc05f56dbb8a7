using Microsoft.AspNetCore.Hosting.Server;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Grpc;

namespace Platform.InferencePod.Lifecycle;

/// <summary>
/// Starts the batch loops, turns the pod ready once warm-up has run, and on shutdown drains:
/// not ready and no new admissions at once (ApplicationStopping fires before the server
/// stops), then waits up to the drain timeout for every admitted request to be answered.
/// </summary>
public sealed class PodLifecycleService(
    InferenceScheduler scheduler,
    PodState state,
    PodOptions options,
    TimeProvider time,
    IServer server,
    ListenEndpoints grpcEndpoints,
    IHostApplicationLifetime lifetime,
    ILogger<PodLifecycleService> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(BeginDrain);
        scheduler.Start();
        _ = WarmUpAsync();
        return Task.CompletedTask;
    }

    private async Task WarmUpAsync()
    {
        try
        {
            var started = time.GetTimestamp();
            await scheduler.WarmedUp;
            var bodies = await ProtocolWarmup.RunAsync(scheduler, time, _stopping.Token);
            await WhenStartedAsync();
            await HttpWarmup.RunAsync(server, state, scheduler.Metadata.Name, bodies, logger, _stopping.Token);
            await GrpcWarmup.RunAsync(grpcEndpoints, state, scheduler.Metadata, logger, _stopping.Token);
            state.MarkWarmedUp();
            logger.LogInformation("Model '{Model}' warmed up in {Seconds:F2} s; ready", scheduler.Metadata.Name, time.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception e)
        {
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

    private void BeginDrain()
    {
        if (state.Draining) return;
        state.BeginDraining();
        _stopping.Cancel();
        scheduler.BeginDrain();
        logger.LogInformation("Draining: not ready, admitting nothing new, {Queued} queued requests to finish", scheduler.Queue.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        BeginDrain();
        try
        {
            await scheduler.Stopped.WaitAsync(options.Server.DrainTimeout, time, cancellationToken);
            logger.LogInformation("Drained: every admitted request was answered");
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Drain timed out after {Seconds} s with {Queued} requests still queued", options.Server.DrainTimeoutSeconds, scheduler.Queue.Count);
        }
    }
}
