using System.Threading.Channels;
using Platform.KubeApiDouble.Selectors;

namespace Platform.KubeApiDouble.Watch;

/// <summary>Something a watch stream writes: an event, a bookmark, or the end of the stream.</summary>
internal abstract record WatchSignal;

/// <summary>A watch event: <c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c> with the object's JSON.</summary>
internal sealed record WatchEventSignal(string Type, ObjectSnapshot Object) : WatchSignal;

/// <summary>A <c>BOOKMARK</c> at a resource version; <paramref name="InitialEventsEnd"/> marks the end of the initial list.</summary>
internal sealed record BookmarkSignal(long ResourceVersion, bool InitialEventsEnd = false) : WatchSignal;

/// <summary>Ends the stream: cleanly (as a server timeout does) or by aborting the connection.</summary>
internal sealed record CloseSignal(bool Abort) : WatchSignal;

/// <summary>An <c>ERROR</c> event carrying a <c>Status</c>, after which the stream ends.</summary>
internal sealed record ErrorSignal(KubeApiException Error) : WatchSignal;

/// <summary>
/// One open watch: which objects it wants, and the queue of signals its stream writer drains.
/// Events are offered under the store lock, so a subscription sees changes in commit order.
/// </summary>
internal sealed class WatchSubscription(string storageKey, string? ns, LabelSelector labels, FieldSelector fields)
{
    private readonly Channel<WatchSignal> _signals = Channel.CreateUnbounded<WatchSignal>(new UnboundedChannelOptions { SingleReader = true });

    public string StorageKey { get; } = storageKey;

    public ChannelReader<WatchSignal> Signals => _signals.Reader;

    public bool Matches(ObjectSnapshot snapshot) =>
        (ns is null || snapshot.Namespace == ns) && labels.Matches(snapshot.Labels) && fields.Matches(snapshot.Fields);

    /// <summary>Queues what this watch sees of a change: an object entering the selection is ADDED, one leaving it DELETED.</summary>
    public void Offer(ChangeEvent change)
    {
        if (change.StorageKey != StorageKey)
        {
            return;
        }

        var now = Matches(change.Object);
        var before = change.Previous is not null && Matches(change.Previous);
        var type = change.Type switch
        {
            ChangeType.Added when now => "ADDED",
            ChangeType.Deleted when now => "DELETED",
            ChangeType.Modified when now && before => "MODIFIED",
            ChangeType.Modified when now => "ADDED",
            ChangeType.Modified when before => "DELETED",
            _ => null,
        };
        if (type is not null)
        {
            _signals.Writer.TryWrite(new WatchEventSignal(type, change.Object));
        }
    }

    public void Send(WatchSignal signal) => _signals.Writer.TryWrite(signal);
}
