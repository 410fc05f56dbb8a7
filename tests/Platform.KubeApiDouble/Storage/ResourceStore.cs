using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Registry;
using Platform.KubeApiDouble.Selectors;

namespace Platform.KubeApiDouble.Storage;

/// <summary>
/// Direct access to the server's objects for tests: seed, inspect, and play the parts of the
/// cluster that do not exist here (a Deployment controller setting status, a user editing an
/// object). Writes go through the same validation, resource versions and watch events as HTTP
/// writes, but are not recorded in the request log. Objects are returned as copies.
/// </summary>
public sealed class ResourceStore
{
    private readonly ResourceOperations _operations;

    internal ResourceStore(ResourceOperations operations) => _operations = operations;

    /// <summary>The resource version of the last write.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_operations.Store.Gate)
            {
                return _operations.Store.ResourceVersion;
            }
        }
    }

    /// <summary>Creates an object; its collection is found from <c>apiVersion</c> and <c>kind</c>.</summary>
    /// <exception cref="KubeApiException">As the API server would answer (404 unknown kind or namespace, 409, 422).</exception>
    public JsonObject Create(JsonObject obj)
    {
        var (definition, version) = DefinitionOf(obj);
        return Detached(_operations.Create(definition, version, obj.ObjectAt("metadata")?.StringAt("namespace"), obj, WriteRequest.Direct));
    }

    /// <summary>Creates a namespace unless it exists.</summary>
    public void EnsureNamespace(string name)
    {
        var definition = Find(KubeResources.Namespaces);
        if (_operations.TryGet(definition, "v1", null, name) is null)
        {
            _operations.Create(definition, "v1", null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, WriteRequest.Direct);
        }
    }

    public JsonObject? Get(GroupVersionResource resource, string? ns, string name) =>
        _operations.TryGet(Find(resource), resource.Version, ns, name) is { } obj ? Detached(obj) : null;

    /// <summary>Objects of a collection, in one namespace or all.</summary>
    public IReadOnlyList<JsonObject> List(GroupVersionResource resource, string? ns = null)
    {
        var list = _operations.List(Find(resource), resource.Version, ns, LabelSelector.Everything, FieldSelector.Everything);
        return list.ArrayAt("items")!.OfType<JsonObject>().Select(Detached).ToList();
    }

    /// <summary>
    /// Changes an object as a whole (spec and status in one write), as a controller of the cluster
    /// would: for example, a Deployment controller reporting ready replicas.
    /// </summary>
    public JsonObject Mutate(GroupVersionResource resource, string? ns, string name, Action<JsonObject> change, string manager = "kube-controller-manager") =>
        Detached(_operations.Mutate(Find(resource), resource.Version, ns, name, change, WriteRequest.Direct with { FieldManager = manager }));

    /// <summary>Deletes an object (with garbage collection of its dependents); returns it.</summary>
    public JsonObject Delete(GroupVersionResource resource, string? ns, string name, string? propagationPolicy = null) =>
        Detached(_operations.Delete(Find(resource), resource.Version, ns, name, DeleteRequest.Default with { PropagationPolicy = propagationPolicy }).Object);

    /// <summary>Forgets all retained history: watches and list continuations from older resource versions get 410.</summary>
    public void CompactHistory()
    {
        lock (_operations.Store.Gate)
        {
            _operations.Store.Compact();
        }
    }

    /// <summary>How many watches are open, on one collection or all (await this to know an informer is watching).</summary>
    public int OpenWatches(GroupVersionResource? resource = null)
    {
        lock (_operations.Store.Gate)
        {
            var key = resource is { } r ? Find(r).StorageKey : null;
            return _operations.Store.Watches.Count(w => key is null || w.StorageKey == key);
        }
    }

    // A copy parsed from JSON text, as a client would hold it: values read back with any numeric type.
    private static JsonObject Detached(JsonObject obj) => (JsonObject)JsonNode.Parse(obj.ToJsonString())!;

    private ResourceDefinition Find(GroupVersionResource resource) =>
        _operations.Registry.Find(resource) ?? throw new KubeApiException(404, "NotFound", $"the server does not serve {resource}");

    private (ResourceDefinition Definition, string Version) DefinitionOf(JsonObject obj)
    {
        var apiVersion = obj.StringAt("apiVersion") ?? throw ApiErrors.BadRequest("Object 'apiVersion' is missing");
        var kind = obj.StringAt("kind") ?? throw ApiErrors.BadRequest("Object 'Kind' is missing");
        var definition = _operations.Registry.FindByKind(apiVersion, kind)
            ?? throw new KubeApiException(404, "NotFound", $"no matches for kind \"{kind}\" in version \"{apiVersion}\"");
        return (definition, apiVersion.Contains('/') ? apiVersion[(apiVersion.IndexOf('/') + 1)..] : apiVersion);
    }
}
