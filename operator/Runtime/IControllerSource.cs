namespace Platform.Operator.Runtime;

/// <summary>
/// The watched state a controller reconciles from: it runs its informers, reports each change
/// as the key of the object to reconcile, and lists every key for periodic resyncs.
/// </summary>
public interface IControllerSource
{
    /// <summary>Runs the informers until cancelled; <paramref name="enqueue"/> receives the key of every change.</summary>
    Task RunAsync(Action<string> enqueue, CancellationToken cancellationToken);

    /// <summary>Completes once every informer has listed.</summary>
    Task Synced { get; }

    /// <summary>Every key currently known (resync re-queues them all).</summary>
    IEnumerable<string> Keys { get; }
}
