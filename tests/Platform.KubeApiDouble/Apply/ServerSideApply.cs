using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;
using Platform.KubeApiDouble.Patching;

namespace Platform.KubeApiDouble.Apply;

/// <summary>Who is writing, through which endpoint, at which version and time.</summary>
internal sealed record FieldOwner(string Manager, FieldScope Scope, string? Subresource, string ApiVersion, string Time);

/// <summary>
/// Server-side apply and field ownership, after the model of structured-merge-diff: each manager
/// owns the set of fields it last applied (or changed by update); an apply merges its configuration
/// into the object, removes the fields it applied before and no longer applies (unless someone else
/// owns them), and conflicts when it would change a value another manager owns.
/// </summary>
internal static class ServerSideApply
{
    private static readonly HashSet<string> ServerMetadata =
    [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
    ];

    /// <summary>The object after applying <paramref name="applied"/> to <paramref name="live"/>, with managed fields updated.</summary>
    /// <exception cref="KubeApiException">409 Conflict when another manager owns a changed field and force is off.</exception>
    public static JsonObject Apply(JsonObject live, JsonObject applied, FieldOwner owner, bool force)
    {
        var config = (JsonObject)FieldSets.WithoutNulls(applied)!;
        var appliedPaths = FieldSets.Collect(config, owner.Scope);
        var entries = ManagedFieldsEntry.ReadAll(live);
        var self = entries.FirstOrDefault(e => e.IsSameOwner(owner.Manager, ManagedFieldsEntry.ApplyOperation, owner.Subresource));
        var previous = self?.Paths ?? new HashSet<FieldPath>();

        var conflicts = FindConflicts(live, config, appliedPaths, entries, owner.Manager);
        if (conflicts.Count > 0 && !force)
        {
            throw ConflictError(conflicts);
        }

        var conflicting = conflicts.Select(c => c.Path).ToHashSet();
        var others = entries
            .Where(e => e != self)
            .Select(e => force ? e with { Paths = e.Paths.Where(p => !conflicting.Contains(p)).ToHashSet() } : e)
            .ToList();

        var merged = (JsonObject)live.DeepClone();
        MergeInto(merged, config, owner.Scope);
        foreach (var path in previous.Except(appliedPaths).OrderBy(p => p.Elements.Count))
        {
            var ownedElsewhere = others.Any(e => e.Paths.Any(o => o.Equals(path) || o.IsBelow(path)));
            if (!ownedElsewhere)
            {
                FieldSets.Remove(merged, path);
            }
        }

        var unchanged = self is not null && self.Paths.SetEquals(appliedPaths);
        var updatedSelf = new ManagedFieldsEntry(
            owner.Manager, ManagedFieldsEntry.ApplyOperation, owner.ApiVersion,
            unchanged ? self!.Time : owner.Time, owner.Subresource, appliedPaths);
        var result = new List<ManagedFieldsEntry>();
        var placed = false;
        foreach (var entry in entries)
        {
            if (entry == self)
            {
                result.Add(updatedSelf);
                placed = true;
            }
            else
            {
                var stripped = others.First(o => o.IsSameOwner(entry.Manager, entry.Operation, entry.Subresource));
                result.Add(stripped.Paths.Count == entry.Paths.Count ? entry : stripped with { Time = owner.Time });
            }
        }

        if (!placed)
        {
            result.Add(updatedSelf);
        }

        ManagedFieldsEntry.WriteAll(merged, result);
        return merged;
    }

    /// <summary>
    /// Records a non-apply write (create, update, patch): the writer takes ownership of the fields it
    /// changed, and other managers lose ownership of them. Writes <c>managedFields</c> into <paramref name="updated"/>.
    /// </summary>
    public static void RecordUpdate(JsonObject? old, JsonObject updated, FieldOwner owner)
    {
        var entries = ManagedFieldsEntry.ReadAll(old);
        var newPaths = FieldSets.Collect(updated, owner.Scope);
        var oldPaths = old is null ? new HashSet<FieldPath>() : FieldSets.Collect(old, owner.Scope);

        var changed = new HashSet<FieldPath>(oldPaths.Except(newPaths));
        foreach (var path in newPaths)
        {
            if (path.IsListItem)
            {
                if (!oldPaths.Contains(path))
                {
                    changed.Add(path);
                }

                continue;
            }

            var (found, oldValue) = old is null ? (false, null) : FieldSets.Get(old, path);
            if (!found || !JsonNodeExtensions.JsonEquals(oldValue, FieldSets.Get(updated, path).Value))
            {
                changed.Add(path);
            }
        }

        if (changed.Count == 0)
        {
            ManagedFieldsEntry.WriteAll(updated, entries);
            return;
        }

        var result = new List<ManagedFieldsEntry>();
        var gained = changed.Where(newPaths.Contains).ToHashSet();
        var placed = false;
        foreach (var entry in entries)
        {
            var remaining = entry.Paths.Where(p => !changed.Contains(p)).ToHashSet();
            if (entry.IsSameOwner(owner.Manager, ManagedFieldsEntry.UpdateOperation, owner.Subresource))
            {
                remaining.UnionWith(gained);
                result.Add(entry with { Paths = remaining, Time = owner.Time, ApiVersion = owner.ApiVersion });
                placed = true;
            }
            else
            {
                result.Add(remaining.Count == entry.Paths.Count ? entry : entry with { Paths = remaining });
            }
        }

        if (!placed && gained.Count > 0)
        {
            result.Add(new ManagedFieldsEntry(
                owner.Manager, ManagedFieldsEntry.UpdateOperation, owner.ApiVersion, owner.Time, owner.Subresource, gained));
        }

        ManagedFieldsEntry.WriteAll(updated, result);
    }

    private static List<(ManagedFieldsEntry Entry, FieldPath Path)> FindConflicts(
        JsonObject live, JsonObject config, HashSet<FieldPath> appliedPaths, List<ManagedFieldsEntry> entries, string manager)
    {
        var conflicts = new List<(ManagedFieldsEntry, FieldPath)>();
        foreach (var path in appliedPaths.Where(p => !p.IsListItem))
        {
            var (found, liveValue) = FieldSets.Get(live, path);
            if (!found || JsonNodeExtensions.JsonEquals(liveValue, FieldSets.Get(config, path).Value))
            {
                continue;
            }

            conflicts.AddRange(entries.Where(e => e.Manager != manager && e.Paths.Contains(path)).Select(e => (e, path)));
        }

        return conflicts;
    }

    private static KubeApiException ConflictError(List<(ManagedFieldsEntry Entry, FieldPath Path)> conflicts)
    {
        var groups = conflicts
            .GroupBy(c => (c.Entry.Manager, c.Entry.ApiVersion))
            .Select(g => (g.Key.Manager, g.Key.ApiVersion, Paths: g.Select(c => c.Path.Display()).Distinct().Order(StringComparer.Ordinal).ToList()))
            .ToList();
        var total = groups.Sum(g => g.Paths.Count);
        var parts = groups.Select(g => g.Paths.Count == 1
            ? $"conflict with \"{g.Manager}\" using {g.ApiVersion}: {g.Paths[0]}"
            : $"conflicts with \"{g.Manager}\" using {g.ApiVersion}:\n" + string.Join("\n", g.Paths.Select(p => "- " + p)));
        var message = $"Apply failed with {total} conflict{(total == 1 ? string.Empty : "s")}: {string.Join("\n", parts)}";
        var causes = new JsonArray(groups
            .SelectMany(g => g.Paths.Select(p => (JsonNode)new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with \"{g.Manager}\" using {g.ApiVersion}",
                ["field"] = p,
            }))
            .ToArray());
        return new KubeApiException(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }

    private static void MergeInto(JsonObject merged, JsonObject config, FieldScope scope)
    {
        foreach (var (key, value) in config)
        {
            if (key is "apiVersion" or "kind" || !FieldSets.InScope(key, scope))
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject metadata)
            {
                var liveMetadata = merged.EnsureObject("metadata");
                foreach (var (metaKey, metaValue) in metadata)
                {
                    if (!ServerMetadata.Contains(metaKey))
                    {
                        liveMetadata[metaKey] = MergeValue(liveMetadata[metaKey], metaValue, metaKey);
                    }
                }

                continue;
            }

            merged[key] = MergeValue(merged[key], value, key);
        }
    }

    private static JsonNode? MergeValue(JsonNode? live, JsonNode? applied, string? fieldName)
    {
        if (applied is JsonObject appliedObject && live is JsonObject liveObject)
        {
            var result = (JsonObject)liveObject.DeepClone();
            foreach (var (key, value) in appliedObject)
            {
                result[key] = MergeValue(result[key], value, key);
            }

            return result;
        }

        if (applied is JsonArray appliedList && live is JsonArray liveList &&
            ListMergeKeys.For(fieldName, liveList, appliedList) is { } mergeKey)
        {
            var items = liveList.Select(n => n?.DeepClone()).ToList();
            foreach (var item in appliedList.OfType<JsonObject>())
            {
                var key = ListMergeKeys.KeyOf(item, mergeKey);
                var index = items.FindIndex(n => n is JsonObject o && ListMergeKeys.KeyOf(o, mergeKey) == key);
                if (index >= 0)
                {
                    items[index] = MergeValue(items[index], item, fieldName: null);
                }
                else
                {
                    items.Add(item.DeepClone());
                }
            }

            return new JsonArray(items.ToArray());
        }

        return applied?.DeepClone();
    }
}
