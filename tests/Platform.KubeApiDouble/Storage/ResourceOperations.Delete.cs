using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Registry;
using Platform.KubeApiDouble.Selectors;

namespace Platform.KubeApiDouble.Storage;

internal sealed partial class ResourceOperations
{
    /// <summary>
    /// Deletes an object and returns it. An object with finalizers only gets a
    /// <c>deletionTimestamp</c> and goes when its last finalizer is removed. Dependents (by
    /// <c>ownerReferences</c>) are collected at once, recursively, unless the policy is Orphan.
    /// </summary>
    public DeleteResult Delete(ResourceDefinition definition, string version, string? ns, string name, DeleteRequest request)
    {
        lock (store.Gate)
        {
            var old = store.Get(definition, ns, name) ?? throw ApiErrors.NotFound(definition, name);
            if (request.PreconditionUid is { } uid && uid != ObjectMeta.Uid(old))
            {
                throw ApiErrors.Conflict(definition, name,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMeta.Uid(old)}");
            }

            if (request.PreconditionResourceVersion is { } rv && rv != ObjectMeta.ResourceVersion(old))
            {
                throw ApiErrors.Conflict(definition, name,
                    $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {ObjectMeta.ResourceVersion(old)}");
            }

            if (request.DryRun)
            {
                return new DeleteResult(Present(old, definition, version), Deleted: !ObjectMeta.HasFinalizers(old));
            }

            if (ObjectMeta.HasFinalizers(old))
            {
                if (ObjectMeta.IsBeingDeleted(old))
                {
                    return new DeleteResult(Present(old, definition, version), Deleted: false);
                }

                var marked = old.CloneObject();
                ObjectMeta.Metadata(marked)["deletionTimestamp"] = Now();
                ObjectMeta.Metadata(marked)["deletionGracePeriodSeconds"] = 0;
                return new DeleteResult(Present(store.Put(definition, marked), definition, version), Deleted: false);
            }

            var removed = store.Remove(definition, ns, name)!;
            AfterDelete(definition, removed, request);
            return new DeleteResult(Present(removed, definition, version), Deleted: true);
        }
    }

    /// <summary>Deletes every matching object of a collection; returns them as a List.</summary>
    public JsonObject DeleteCollection(
        ResourceDefinition definition, string version, string? ns, LabelSelector labels, FieldSelector fields, DeleteRequest request)
    {
        lock (store.Gate)
        {
            var list = List(definition, version, ns, labels, fields);
            var deleted = new JsonArray();
            foreach (var item in list.ArrayAt("items")!.OfType<JsonObject>().ToList())
            {
                deleted.Add(Delete(definition, version, ObjectMeta.Namespace(item), ObjectMeta.Name(item)!, request).Object);
            }

            list["items"] = deleted;
            return list;
        }
    }

    private void AfterDelete(ResourceDefinition definition, JsonObject removed, DeleteRequest request)
    {
        if (definition.Group == "" && definition.Plural == "namespaces")
        {
            DeleteNamespaceContents(ObjectMeta.Name(removed)!);
        }

        if (definition.Group == "apiextensions.k8s.io" && definition.Plural == "customresourcedefinitions")
        {
            UnregisterCustomResource(removed);
        }

        CollectDependents(ObjectMeta.Uid(removed), request.PropagationPolicy == "Orphan");
    }

    private void DeleteNamespaceContents(string ns)
    {
        foreach (var definition in registry.All.Where(d => d.Namespaced))
        {
            foreach (var obj in store.List(definition, ns))
            {
                var removed = store.Remove(definition, ns, ObjectMeta.Name(obj)!);
                if (removed is not null)
                {
                    CollectDependents(ObjectMeta.Uid(removed), orphan: false);
                }
            }
        }
    }

    private void UnregisterCustomResource(JsonObject crd)
    {
        var spec = crd.ObjectAt("spec");
        var storageKey = $"{spec?.StringAt("group")}/{spec?.ObjectAt("names")?.StringAt("plural")}";
        if (registry.FindByStorageKey(storageKey) is { IsCustom: true } custom)
        {
            store.RemoveAll(custom);
            registry.Unregister(storageKey);
        }
    }

    /// <summary>
    /// The garbage collector, run synchronously: a dependent whose owners are all gone is deleted
    /// (and its own dependents after it); one that still has a live owner only loses the dangling
    /// reference. With Orphan, direct dependents lose the reference and stay.
    /// </summary>
    private void CollectDependents(string? ownerUid, bool orphan)
    {
        if (ownerUid is null)
        {
            return;
        }

        var pending = new Queue<(string Uid, bool Orphan)>();
        pending.Enqueue((ownerUid, orphan));
        while (pending.Count > 0)
        {
            var (uid, orphanDependents) = pending.Dequeue();
            var all = store.All().ToList();
            var liveUids = all.Select(o => ObjectMeta.Uid(o.Object)).OfType<string>().ToHashSet();
            foreach (var (storageKey, dependent) in all.Where(o => ObjectMeta.OwnerUids(o.Object).Contains(uid)))
            {
                var definition = registry.FindByStorageKey(storageKey);
                if (definition is null)
                {
                    continue;
                }

                var hasLiveOwner = ObjectMeta.OwnerUids(dependent).Any(o => o != uid && liveUids.Contains(o));
                if (orphanDependents || hasLiveOwner)
                {
                    var updated = dependent.CloneObject();
                    var references = ObjectMeta.Metadata(updated).ArrayAt("ownerReferences")!;
                    foreach (var reference in references.OfType<JsonObject>().Where(r => r.StringAt("uid") == uid).ToList())
                    {
                        references.Remove(reference);
                    }

                    if (references.Count == 0)
                    {
                        ObjectMeta.Metadata(updated).Remove("ownerReferences");
                    }

                    store.Put(definition, updated);
                    continue;
                }

                var ns = definition.Namespaced ? ObjectMeta.Namespace(dependent) : null;
                if (ObjectMeta.HasFinalizers(dependent))
                {
                    if (!ObjectMeta.IsBeingDeleted(dependent))
                    {
                        var marked = dependent.CloneObject();
                        ObjectMeta.Metadata(marked)["deletionTimestamp"] = Now();
                        store.Put(definition, marked);
                    }

                    continue;
                }

                var removed = store.Remove(definition, ns, ObjectMeta.Name(dependent)!);
                if (removed is not null)
                {
                    pending.Enqueue((ObjectMeta.Uid(removed)!, false));
                }
            }
        }
    }
}
