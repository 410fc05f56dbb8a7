using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Apply;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Registry;
using Platform.KubeApiDouble.Selectors;
using Platform.KubeApiDouble.Validation;

namespace Platform.KubeApiDouble.Storage;

/// <summary>
/// The API semantics over the store: get, list, create, update, patch, apply, delete, and the
/// status and scale subresources. Shared by the HTTP endpoints and the store helpers for tests.
/// Every operation runs under the store lock and returns copies, never stored instances.
/// </summary>
internal sealed partial class ResourceOperations(ObjectStore store, ResourceRegistry registry, TimeProvider time, bool requireNamespaces)
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public ObjectStore Store => store;

    public ResourceRegistry Registry => registry;

    public JsonObject Get(ResourceDefinition definition, string version, string? ns, string name)
    {
        lock (store.Gate)
        {
            var obj = store.Get(definition, ns, name) ?? throw ApiErrors.NotFound(definition, name);
            return Present(obj, definition, version);
        }
    }

    public JsonObject? TryGet(ResourceDefinition definition, string version, string? ns, string name)
    {
        lock (store.Gate)
        {
            return store.Get(definition, ns, name) is { } obj ? Present(obj, definition, version) : null;
        }
    }

    /// <summary>A <c>List</c> of matching objects, paged by <paramref name="limit"/> and <paramref name="continueToken"/>.</summary>
    public JsonObject List(
        ResourceDefinition definition, string version, string? ns, LabelSelector labels, FieldSelector fields,
        int? limit = null, string? continueToken = null)
    {
        lock (store.Gate)
        {
            var after = ListContinuation.Parse(continueToken, store.CompactedThrough);
            var matching = store.List(definition, ns)
                .Where(o => labels.Matches(LabelSelector.LabelsOf(o)) &&
                            fields.Matches(FieldSelector.FieldsOf(o, definition.SelectableFields)))
                .Where(o => after is null || string.CompareOrdinal(ObjectStore.KeyOf(ObjectMeta.Namespace(o), ObjectMeta.Name(o)!), after.Key) > 0)
                .ToList();
            var page = limit is > 0 ? matching.Take(limit.Value).ToList() : matching;
            var listRv = after?.ResourceVersion ?? store.ResourceVersion;
            var metadata = new JsonObject { ["resourceVersion"] = listRv.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (page.Count < matching.Count)
            {
                var last = page[^1];
                metadata["continue"] = ListContinuation.Create(listRv, ObjectStore.KeyOf(ObjectMeta.Namespace(last), ObjectMeta.Name(last)!));
                metadata["remainingItemCount"] = matching.Count - page.Count;
            }

            return new JsonObject
            {
                ["kind"] = definition.ListKind,
                ["apiVersion"] = definition.ApiVersion(version),
                ["metadata"] = metadata,
                ["items"] = new JsonArray(page.Select(o => (JsonNode)Present(o, definition, version)).ToArray()),
            };
        }
    }

    public JsonObject Create(ResourceDefinition definition, string version, string? ns, JsonObject body, WriteRequest request)
    {
        var obj = body.CloneObject();
        CheckKind(definition, version, obj);
        var metadata = ObjectMeta.Metadata(obj);
        ResolveNamespace(definition, ns, metadata);
        lock (store.Gate)
        {
            if (metadata.StringAt("name") is null or "")
            {
                metadata["name"] = GenerateName(definition, metadata);
            }

            var owner = new FieldOwner(request.Manager, MainScope(definition), null, definition.ApiVersion(version), Now());
            return CreateLocked(definition, version, obj, request, owner, managedFieldsSet: false);
        }
    }

    /// <summary>Replaces an object (PUT) through the main endpoint or the <c>status</c> subresource.</summary>
    public JsonObject Update(ResourceDefinition definition, string version, string? ns, string name, JsonObject body, WriteRequest request, string? subresource)
    {
        var candidate = body.CloneObject();
        CheckKind(definition, version, candidate);
        CheckName(definition, name, ns, candidate);
        lock (store.Gate)
        {
            var old = store.Get(definition, ns, name) ?? throw ApiErrors.NotFound(definition, name);
            CheckResourceVersion(definition, name, old, candidate);
            var replacement = subresource == "status" ? WithStatusOf(old, candidate) : WithMainOf(definition, old, candidate);
            return FinishUpdate(definition, version, old, replacement, request, subresource, recordManagedFields: true);
        }
    }

    /// <summary>Changes an object as a whole, spec and status in one write (for tests that play a cluster controller).</summary>
    public JsonObject Mutate(ResourceDefinition definition, string version, string? ns, string name, Action<JsonObject> change, WriteRequest request)
    {
        lock (store.Gate)
        {
            var old = store.Get(definition, ns, name) ?? throw ApiErrors.NotFound(definition, name);
            var candidate = Present(old, definition, version);
            change(candidate);
            return FinishUpdate(definition, version, old, candidate, request, subresource: null, recordManagedFields: true, FieldScope.Whole);
        }
    }

    /// <summary>Checks, defaults, validates and commits a new version of an existing object. Unchanged objects are not written.</summary>
    private JsonObject FinishUpdate(
        ResourceDefinition definition, string version, JsonObject old, JsonObject candidate, WriteRequest request,
        string? subresource, bool recordManagedFields, FieldScope? scopeOverride = null)
    {
        // An apply computed ownership already; every other write records it below.
        var appliedManagedFields = recordManagedFields ? null : candidate.ObjectAt("metadata")?["managedFields"]?.DeepClone();
        ObjectMeta.CarryServerFields(old, candidate);
        if (!recordManagedFields)
        {
            ObjectMeta.Metadata(candidate)["managedFields"] = appliedManagedFields;
            if (appliedManagedFields is null)
            {
                ObjectMeta.Metadata(candidate).Remove("managedFields");
            }
        }

        var name = ObjectMeta.Name(old)!;
        var oldMetadata = ObjectMeta.Metadata(old);
        var metadata = ObjectMeta.Metadata(candidate);
        metadata["name"] = name;
        if (definition.Namespaced)
        {
            metadata["namespace"] = oldMetadata.StringAt("namespace");
        }

        candidate["apiVersion"] = definition.ApiVersion(definition.Versions[0]);
        candidate["kind"] = definition.Kind;
        if (definition.Kind == "Service" && candidate.ObjectAt("spec") is { } spec && old.ObjectAt("spec") is { } oldSpec)
        {
            // Allocated addresses survive an update that does not mention them.
            spec["clusterIP"] ??= oldSpec["clusterIP"]?.DeepClone();
            spec["clusterIPs"] ??= oldSpec["clusterIPs"]?.DeepClone();
        }

        DefaultAndValidate(definition, version, candidate, old);
        if (definition.TracksGeneration && !JsonNodeExtensions.JsonEquals(SpecOf(definition, old), SpecOf(definition, candidate)))
        {
            metadata["generation"] = ObjectMeta.Generation(old) + 1;
        }

        if (recordManagedFields)
        {
            var scope = scopeOverride ?? (subresource == "status" ? FieldScope.StatusOnly : MainScope(definition));
            ServerSideApply.RecordUpdate(old, candidate, new FieldOwner(request.Manager, scope, subresource, definition.ApiVersion(version), Now()));
        }

        if (ObjectMeta.IsBeingDeleted(candidate) && !ObjectMeta.HasFinalizers(candidate))
        {
            // The last finalizer is gone: the deletion that was waiting on it completes now.
            if (request.DryRun)
            {
                return Present(candidate, definition, version);
            }

            var removed = store.Remove(definition, metadata.StringAt("namespace"), name)!;
            AfterDelete(definition, removed, DeleteRequest.Default);
            return Present(removed, definition, version);
        }

        if (IsUnchanged(old, candidate))
        {
            return Present(old, definition, version);
        }

        if (request.DryRun)
        {
            metadata["resourceVersion"] = oldMetadata["resourceVersion"]?.DeepClone();
            return Present(candidate, definition, version);
        }

        if (definition.Plural == "customresourcedefinitions" && definition.Group == "apiextensions.k8s.io")
        {
            RegisterCustomResource(candidate);
        }

        return Present(store.Put(definition, candidate), definition, version);
    }

    private JsonObject CreateLocked(
        ResourceDefinition definition, string version, JsonObject obj, WriteRequest request, FieldOwner owner, bool managedFieldsSet)
    {
        var metadata = ObjectMeta.Metadata(obj);
        var name = metadata.StringAt("name")!;
        var ns = definition.Namespaced ? metadata.StringAt("namespace") : null;
        if (ns is not null && requireNamespaces && store.Get(NamespaceDefinition, null, ns) is null)
        {
            throw ApiErrors.NamespaceNotFound(ns);
        }

        if (store.Get(definition, ns, name) is not null)
        {
            throw ApiErrors.AlreadyExists(definition, name);
        }

        foreach (var field in ObjectMeta.ServerOwned.Where(f => !(managedFieldsSet && f == "managedFields")))
        {
            metadata.Remove(field);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Now();
        if (definition.TracksGeneration)
        {
            metadata["generation"] = 1;
        }

        obj["apiVersion"] = definition.ApiVersion(definition.Versions[0]);
        obj["kind"] = definition.Kind;
        if (definition.HasStatusSubresource)
        {
            obj.Remove("status");
        }

        InitialStatus(definition, obj);
        DefaultAndValidate(definition, version, obj, old: null);
        if (!managedFieldsSet)
        {
            ServerSideApply.RecordUpdate(null, obj, owner);
        }

        if (definition.Plural == "customresourcedefinitions" && definition.Group == "apiextensions.k8s.io")
        {
            if (!request.DryRun)
            {
                RegisterCustomResource(obj);
            }
            else
            {
                CustomResourceDefinitionReader.Read(obj);
            }
        }

        if (request.DryRun)
        {
            return Present(obj, definition, version);
        }

        return Present(store.Put(definition, obj), definition, version);
    }

    private void DefaultAndValidate(ResourceDefinition definition, string version, JsonObject obj, JsonObject? old)
    {
        List<FieldError> errors;
        if (definition.CustomVersions.TryGetValue(version, out var customVersion) && customVersion.Schema is { } schema)
        {
            schema.PruneAndDefault(obj);
            errors = BuiltInValidation.ValidateMetadata(obj);
            errors.AddRange(schema.Validate(obj, old));
        }
        else
        {
            BuiltInDefaults.Apply(definition.Group, definition.Kind, obj);
            errors = BuiltInValidation.Validate(definition.Group, definition.Kind, obj, old);
        }

        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(definition, ObjectMeta.Name(obj) ?? string.Empty, errors);
        }
    }

    private void InitialStatus(ResourceDefinition definition, JsonObject obj)
    {
        switch (definition.Group, definition.Kind)
        {
            case ("", "Namespace"):
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case ("", "Service"):
                obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                var spec = obj.EnsureObject("spec");
                if (spec.StringAt("clusterIP") is null && spec.StringAt("type") != "ExternalName")
                {
                    var ip = $"10.96.{(store.ResourceVersion / 250) % 250}.{(store.ResourceVersion % 250) + 1}";
                    spec["clusterIP"] = ip;
                    spec["clusterIPs"] = new JsonArray(ip);
                }

                break;
            case ("apiextensions.k8s.io", "CustomResourceDefinition"):
                obj["status"] = CustomResourceDefinitionReader.AcceptedStatus(obj, Now());
                break;
        }
    }

    private void RegisterCustomResource(JsonObject crd)
    {
        var definition = CustomResourceDefinitionReader.Read(crd);
        var existing = registry.All.FirstOrDefault(d => d.StorageKey == definition.StorageKey);
        if (existing is not null && !existing.IsCustom)
        {
            throw ApiErrors.Invalid(
                BuiltInResources.All.Single(d => d.Plural == "customresourcedefinitions"), ObjectMeta.Name(crd) ?? string.Empty,
                [FieldError.Invalid("spec.group", crd.ObjectAt("spec")?["group"], "a built-in resource is served at this group and plural")]);
        }

        registry.Register(definition);
    }

    private static ResourceDefinition NamespaceDefinition { get; } = BuiltInResources.All.Single(d => d.Plural == "namespaces");

    private static FieldScope MainScope(ResourceDefinition definition) =>
        definition.HasStatusSubresource ? FieldScope.MainWithoutStatus : FieldScope.Whole;

    /// <summary>What <c>metadata.generation</c> tracks: everything but metadata (and status when it is a subresource).</summary>
    private static JsonObject SpecOf(ResourceDefinition definition, JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key is "metadata" or "apiVersion" or "kind" || (key == "status" && definition.HasStatusSubresource))
            {
                continue;
            }

            copy[key] = value?.DeepClone();
        }

        return copy;
    }

    private static bool IsUnchanged(JsonObject old, JsonObject candidate)
    {
        var a = old.CloneObject();
        var b = candidate.CloneObject();
        ObjectMeta.Metadata(a).Remove("resourceVersion");
        ObjectMeta.Metadata(b).Remove("resourceVersion");
        return JsonNodeExtensions.JsonEquals(a, b);
    }

    private static JsonObject WithMainOf(ResourceDefinition definition, JsonObject old, JsonObject candidate)
    {
        if (definition.HasStatusSubresource)
        {
            candidate.Remove("status");
            if (old["status"] is { } status)
            {
                candidate["status"] = status.DeepClone();
            }
        }

        return candidate;
    }

    private static JsonObject WithStatusOf(JsonObject old, JsonObject candidate)
    {
        var replacement = old.CloneObject();
        replacement.Remove("status");
        if (candidate["status"] is { } status)
        {
            replacement["status"] = status.DeepClone();
        }

        return replacement;
    }

    /// <summary>The object as served at a version: a copy whose <c>apiVersion</c> names that version.</summary>
    private static JsonObject Present(JsonObject obj, ResourceDefinition definition, string version)
    {
        var copy = new JsonObject
        {
            ["kind"] = definition.Kind,
            ["apiVersion"] = definition.ApiVersion(version),
        };
        foreach (var (key, value) in obj)
        {
            if (key is not ("kind" or "apiVersion"))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }

    private static void CheckKind(ResourceDefinition definition, string version, JsonObject obj)
    {
        var kind = obj.StringAt("kind");
        var apiVersion = obj.StringAt("apiVersion");
        if (kind is not null && kind != definition.Kind)
        {
            throw ApiErrors.BadRequest($"the kind of the object ({kind}) does not match the expected kind ({definition.Kind})");
        }

        if (apiVersion is not null && apiVersion != definition.ApiVersion(version))
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({definition.ApiVersion(version)})");
        }
    }

    private static void CheckName(ResourceDefinition definition, string name, string? ns, JsonObject obj)
    {
        var metadata = ObjectMeta.Metadata(obj);
        var bodyName = metadata.StringAt("name");
        if (bodyName is not null && bodyName != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        metadata["name"] = name;
        ResolveNamespace(definition, ns, metadata);
    }

    private static void ResolveNamespace(ResourceDefinition definition, string? ns, JsonObject metadata)
    {
        if (!definition.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }

        var bodyNamespace = metadata.StringAt("namespace");
        if (ns is null)
        {
            throw ApiErrors.BadRequest("the server could not find the requested resource: a namespace is required for namespaced resources");
        }

        if (bodyNamespace is not null && bodyNamespace.Length > 0 && bodyNamespace != ns)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = ns;
    }

    private static void CheckResourceVersion(ResourceDefinition definition, string name, JsonObject old, JsonObject candidate)
    {
        var wanted = ObjectMeta.ResourceVersion(candidate);
        if (!string.IsNullOrEmpty(wanted) && wanted != ObjectMeta.ResourceVersion(old))
        {
            throw ApiErrors.StaleResourceVersion(definition, name);
        }
    }

    private string GenerateName(ResourceDefinition definition, JsonObject metadata)
    {
        var prefix = metadata.StringAt("generateName");
        if (string.IsNullOrEmpty(prefix))
        {
            throw ApiErrors.Invalid(definition, string.Empty, [FieldError.Required("metadata.name", "name or generateName is required")]);
        }

        var suffix = new string(Enumerable.Range(0, 5).Select(_ => GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)]).ToArray());
        return prefix + suffix;
    }

    private string Now() => ObjectMeta.FormatTime(time.GetUtcNow());
}
