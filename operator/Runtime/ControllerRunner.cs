using k8s.Autorest;

namespace Platform.Operator.Runtime;

/// <summary>
/// Runs a controller's source (its informers), queues the key of every change, and drains the
/// work queue with a few workers. Retries live here, not in the reconciler: an error re-queues
/// the key with per-key back-off (never sooner than a 429's Retry-After), a result's
/// requeue-after queues it again later, success forgets its failures, and every key is
/// re-queued each resync period. Loops that only the leader runs start and stop with it.
/// </summary>
public sealed class ControllerRunner(
    IControllerSource source,
    IReconciler reconciler,
    IEnumerable<ILeaderLoop> loops,
    WorkQueue<string> queue,
    ControllerMetrics metrics,
    ControllerOptions options,
    TimeProvider time,
    ILogger<ControllerRunner> logger)
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the source has listed and the workers have started.</summary>
    public Task Synced => _synced.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var informers = source.RunAsync(queue.Add, stop.Token);
        try
        {
            await source.Synced.WaitAsync(cancellationToken);
            logger.LogInformation("Caches synced: {Count} keys", source.Keys.Count());
            var running = Enumerable.Range(0, options.Workers).Select(_ => WorkAsync(stop.Token)).ToList();
            running.Add(ResyncAsync(stop.Token));
            running.AddRange(loops.Select(loop => loop.RunAsync(stop.Token)));
            _synced.TrySetResult();
            await Task.WhenAll(running);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            queue.ShutDown();
            await stop.CancelAsync();
            await informers;
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (ok, key) = await queue.GetAsync(cancellationToken).ConfigureAwait(false);
            if (!ok) return;
            metrics.QueueDepth.Set(queue.Count);
            var started = time.GetTimestamp();
            try
            {
                var result = await reconciler.ReconcileAsync(key, cancellationToken);
                metrics.CountReconcile(result.Outcome);
                queue.Forget(key);
                if (result.RequeueAfter is { } after) queue.AddAfter(key, after);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                metrics.CountReconcile("error");
                var delay = queue.AddRateLimited(key, RetryAfter(e));
                logger.LogWarning("Reconcile of {Key} failed ({Error}); retrying in {Delay} ms", key, Describe(e), delay.TotalMilliseconds);
            }
            finally
            {
                metrics.ReconcileDuration.Observe(time.GetElapsedTime(started).TotalSeconds);
                queue.Done(key);
            }
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.ResyncPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var key in source.Keys) queue.Add(key);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The wait a 429 (or 503) asked for in Retry-After (seconds or an HTTP date); zero when none.</summary>
    public static TimeSpan RetryAfter(Exception e, DateTimeOffset? now = null)
    {
        if (e is not HttpOperationException { Response: { } response }
            || response.StatusCode is not (System.Net.HttpStatusCode.TooManyRequests or System.Net.HttpStatusCode.ServiceUnavailable)
            || !response.Headers.TryGetValue("Retry-After", out var values)
            || values.FirstOrDefault() is not { } value)
        {
            return TimeSpan.Zero;
        }
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - (now ?? DateTimeOffset.UtcNow);
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return TimeSpan.Zero;
    }

    private static string Describe(Exception e) => e switch
    {
        HttpOperationException http => $"{(int)http.Response.StatusCode} {http.Response.ReasonPhrase}: {http.Response.Content}",
        _ => e.Message,
    };
}
