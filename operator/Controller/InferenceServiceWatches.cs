using Platform.Operator.Runtime;

namespace Platform.Operator.Controller;

/// <summary>
/// The InferenceService controller's source for the runtime: reads the server's capabilities,
/// then runs the caches, mapping each change of an InferenceService, or of an object or pod it
/// owns, to that InferenceService's key.
/// </summary>
public sealed class InferenceServiceWatches(ClusterCache cache, ServerCapabilities capabilities) : IControllerSource
{
    public Task Synced => Task.WhenAll(capabilities.Loaded, cache.SyncedAsync());

    public IEnumerable<string> Keys => cache.InferenceServices.Items.Select(s => ObjectKey.Of(s.Metadata));

    public async Task RunAsync(Action<string> enqueue, CancellationToken cancellationToken)
    {
        cache.InferenceServices.Changed += s => enqueue(ObjectKey.Of(s.Metadata));
        cache.Deployments.Changed += o => EnqueueOwner(o.Metadata, enqueue);
        cache.Services.Changed += o => EnqueueOwner(o.Metadata, enqueue);
        cache.PodDisruptionBudgets.Changed += o => EnqueueOwner(o.Metadata, enqueue);
        cache.Pods.Changed += o => EnqueueOwner(o.Metadata, enqueue);
        try
        {
            await capabilities.LoadAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        await cache.RunAsync(cancellationToken);
    }

    private static void EnqueueOwner(k8s.Models.V1ObjectMeta metadata, Action<string> enqueue)
    {
        if (ClusterCache.OwnerKey(metadata) is { } key) enqueue(key);
    }
}
