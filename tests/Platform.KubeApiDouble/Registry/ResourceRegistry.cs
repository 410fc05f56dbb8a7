using System.Collections.Immutable;

namespace Platform.KubeApiDouble.Registry;

/// <summary>
/// The served resource collections: built-ins plus those registered from CRDs. Readers see an
/// immutable snapshot, so lookups need no lock; changes happen under the store's lock.
/// </summary>
internal sealed class ResourceRegistry
{
    private ImmutableDictionary<string, ResourceDefinition> _byStorageKey;

    public ResourceRegistry(IEnumerable<ResourceDefinition> builtIns)
    {
        _byStorageKey = builtIns.ToImmutableDictionary(d => d.StorageKey);
    }

    public IEnumerable<ResourceDefinition> All => Volatile.Read(ref _byStorageKey).Values;

    public ResourceDefinition? FindByStorageKey(string storageKey) =>
        Volatile.Read(ref _byStorageKey).GetValueOrDefault(storageKey);

    /// <summary>The collection served at <c>group/version/plural</c>, when that version is served.</summary>
    public ResourceDefinition? Find(string group, string version, string plural)
    {
        var definition = FindByStorageKey($"{group}/{plural}");
        return definition is not null && definition.Versions.Contains(version) ? definition : null;
    }

    public ResourceDefinition? Find(GroupVersionResource gvr) => Find(gvr.Group, gvr.Version, gvr.Resource);

    /// <summary>The collection of objects with this <c>apiVersion</c> and <c>kind</c>.</summary>
    public ResourceDefinition? FindByKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        return All.FirstOrDefault(d => d.Group == group && d.Kind == kind && d.Versions.Contains(version));
    }

    public void Register(ResourceDefinition definition) =>
        ImmutableInterlocked.Update(ref _byStorageKey, map => map.SetItem(definition.StorageKey, definition));

    public void Unregister(string storageKey) =>
        ImmutableInterlocked.Update(ref _byStorageKey, map => map.Remove(storageKey));
}
