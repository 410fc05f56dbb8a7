using k8s.Autorest;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling;

namespace Platform.Operator.Controller;

/// <summary>
/// Runs the informers, maps their changes to InferenceService keys, and drains the work queue
/// with a few workers. Retries live here, not in the reconcile logic: an error re-queues the
/// key with per-key back-off (a 429's Retry-After is honoured), success forgets it, and every
/// key is re-queued each resync period.
/// </summary>
public sealed class ControllerRunner(
    ClusterCache cache,
    InferenceServiceReconciler reconciler,
    AutoscalerLoop autoscaler,
    WorkQueue<string> queue,
    OperatorMetrics metrics,
    TimeProvider time,
    ILogger<ControllerRunner> logger,
    int workers,
    TimeSpan resyncPeriod)
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every cache has listed and the workers have started.</summary>
    public Task Synced => _synced.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        cache.InferenceServices.Changed += s => queue.Add(ObjectKey.Of(s.Metadata));
        cache.Deployments.Changed += o => EnqueueOwner(o.Metadata);
        cache.Services.Changed += o => EnqueueOwner(o.Metadata);
        cache.PodDisruptionBudgets.Changed += o => EnqueueOwner(o.Metadata);
        cache.Pods.Changed += o => EnqueueOwner(o.Metadata);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var informers = cache.RunAsync(stop.Token);
        try
        {
            await cache.SyncedAsync().WaitAsync(cancellationToken);
            logger.LogInformation("Caches synced: {Count} InferenceServices", cache.InferenceServices.Items.Count);
            var loops = Enumerable.Range(0, workers).Select(_ => WorkAsync(stop.Token)).ToList();
            loops.Add(ResyncAsync(stop.Token));
            loops.Add(autoscaler.RunAsync(stop.Token));
            _synced.TrySetResult();
            await Task.WhenAll(loops);
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

    private void EnqueueOwner(k8s.Models.V1ObjectMeta metadata)
    {
        if (ClusterCache.OwnerKey(metadata) is { } key) queue.Add(key);
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
                metrics.CountReconcile(result);
                queue.Forget(key);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                metrics.CountReconcile("error");
                var delay = queue.AddRateLimited(key);
                if (e is HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.TooManyRequests } throttled
                    && throttled.Response.Headers.TryGetValue("Retry-After", out var values)
                    && int.TryParse(values.FirstOrDefault(), out var seconds))
                {
                    queue.AddAfter(key, TimeSpan.FromSeconds(seconds));
                }
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
        using var timer = new PeriodicTimer(resyncPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var service in cache.InferenceServices.Items) queue.Add(ObjectKey.Of(service.Metadata));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Describe(Exception e) => e switch
    {
        HttpOperationException http => $"{(int)http.Response.StatusCode} {http.Response.ReasonPhrase}: {http.Response.Content}",
        _ => e.Message,
    };
}
