using System.Globalization;
using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Registry;
using Platform.KubeApiDouble.Selectors;
using Platform.KubeApiDouble.Watch;

namespace Platform.KubeApiDouble.Storage;

/// <summary>
/// The objects, the global resource version counter, the bounded change history and the open
/// watches. One lock guards it all (<see cref="Gate"/>); every member except <see cref="Gate"/>
/// and <see cref="Notifier"/> must be called while holding it. Stored objects are never mutated
/// in place: a write stores a new object.
/// </summary>
internal sealed class ObjectStore(int historyLimit)
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly LinkedList<ChangeEvent> _history = new();
    private readonly List<WatchSubscription> _watches = [];
    private long _resourceVersion;
    private long _compactedThrough;

    public object Gate { get; } = new();

    public ChangeNotifier Notifier { get; } = new();

    public long ResourceVersion => _resourceVersion;

    /// <summary>Watches and continue tokens older than this resource version get 410 Expired.</summary>
    public long CompactedThrough => _compactedThrough;

    public IReadOnlyList<WatchSubscription> Watches => _watches;

    public static string KeyOf(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    public JsonObject? Get(ResourceDefinition definition, string? ns, string name) =>
        _objects.TryGetValue(definition.StorageKey, out var objects) && objects.TryGetValue(KeyOf(ns, name), out var obj) ? obj : null;

    /// <summary>Stored objects of a resource in key order, optionally in one namespace.</summary>
    public IEnumerable<JsonObject> List(ResourceDefinition definition, string? ns = null)
    {
        if (!_objects.TryGetValue(definition.StorageKey, out var objects))
        {
            return [];
        }

        return ns is null
            ? objects.Values.ToList()
            : objects.Where(p => p.Key.StartsWith(ns + "/", StringComparison.Ordinal)).Select(p => p.Value).ToList();
    }

    /// <summary>Every stored object with its definition (for garbage collection and namespace deletion).</summary>
    public IEnumerable<(string StorageKey, JsonObject Object)> All() =>
        _objects.SelectMany(p => p.Value.Values.Select(o => (p.Key, o))).ToList();

    /// <summary>Stores a new version of an object under the next resource version and tells the watches.</summary>
    public JsonObject Put(ResourceDefinition definition, JsonObject obj)
    {
        var metadata = obj.EnsureObject("metadata");
        var ns = definition.Namespaced ? metadata.StringAt("namespace") : null;
        var name = metadata.StringAt("name") ?? throw new InvalidOperationException("object without a name");
        var objects = CollectionOf(definition.StorageKey);
        var key = KeyOf(ns, name);
        objects.TryGetValue(key, out var previous);

        metadata["resourceVersion"] = NextResourceVersion();
        objects[key] = obj;
        Record(definition, previous is null ? ChangeType.Added : ChangeType.Modified, obj, previous);
        return obj;
    }

    /// <summary>Removes an object; the DELETED event and the returned object carry a new resource version.</summary>
    public JsonObject? Remove(ResourceDefinition definition, string? ns, string name)
    {
        if (!_objects.TryGetValue(definition.StorageKey, out var objects) || !objects.Remove(KeyOf(ns, name), out var removed))
        {
            return null;
        }

        var final = removed.CloneObject();
        final.EnsureObject("metadata")["resourceVersion"] = NextResourceVersion();
        Record(definition, ChangeType.Deleted, final, removed);
        return final;
    }

    /// <summary>Drops every stored object of a resource (its CRD was deleted), with DELETED events.</summary>
    public void RemoveAll(ResourceDefinition definition)
    {
        foreach (var obj in List(definition))
        {
            var metadata = obj.ObjectAt("metadata")!;
            Remove(definition, metadata.StringAt("namespace"), metadata.StringAt("name")!);
        }

        _objects.Remove(definition.StorageKey);
    }

    /// <summary>
    /// Opens a watch. Without a resource version (or "0") the watch starts with synthetic ADDED
    /// events for the current objects; with one, it replays the retained history after it.
    /// </summary>
    /// <exception cref="KubeApiException">410 Expired when the resource version is older than the retained history.</exception>
    public WatchSubscription Subscribe(
        ResourceDefinition definition, string? ns, LabelSelector labels, FieldSelector fields, string? resourceVersion, bool initialEventsEndBookmark)
    {
        var subscription = new WatchSubscription(definition.StorageKey, ns, labels, fields);
        if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
        {
            foreach (var obj in List(definition, ns))
            {
                var snapshot = ObjectSnapshot.Of(obj, definition);
                if (subscription.Matches(snapshot))
                {
                    subscription.Send(new WatchEventSignal("ADDED", snapshot));
                }
            }

            if (initialEventsEndBookmark)
            {
                subscription.Send(new BookmarkSignal(_resourceVersion, InitialEventsEnd: true));
            }
        }
        else
        {
            if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
            {
                throw ApiErrors.BadRequest($"invalid resource version \"{resourceVersion}\"");
            }

            if (from < _compactedThrough)
            {
                throw ApiErrors.Expired($"too old resource version: {from} ({_compactedThrough})");
            }

            foreach (var change in _history.Where(c => c.ResourceVersion > from))
            {
                subscription.Offer(change);
            }
        }

        _watches.Add(subscription);
        Notifier.Notify();
        return subscription;
    }

    public void Unsubscribe(WatchSubscription subscription)
    {
        if (_watches.Remove(subscription))
        {
            Notifier.Notify();
        }
    }

    /// <summary>Forgets all retained history, as an etcd compaction does: older watches and continue tokens get 410.</summary>
    public void Compact()
    {
        _history.Clear();
        _compactedThrough = _resourceVersion;
    }

    private SortedDictionary<string, JsonObject> CollectionOf(string storageKey)
    {
        if (!_objects.TryGetValue(storageKey, out var objects))
        {
            objects = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[storageKey] = objects;
        }

        return objects;
    }

    private string NextResourceVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private void Record(ResourceDefinition definition, ChangeType type, JsonObject obj, JsonObject? previous)
    {
        var change = new ChangeEvent(
            _resourceVersion, definition.StorageKey, type, ObjectSnapshot.Of(obj, definition),
            previous is null ? null : ObjectSnapshot.Of(previous, definition));
        _history.AddLast(change);
        while (_history.Count > historyLimit)
        {
            _compactedThrough = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }

        foreach (var watch in _watches)
        {
            watch.Offer(change);
        }

        Notifier.Notify();
    }
}
