using System.Collections.Concurrent;
using k8s.Models;

namespace Platform.Operator.Controller;

/// <summary>
/// The generation each owned object had right after this operator last applied it (or first saw
/// it in the intended state). The API server bumps metadata.generation on every spec change, so a
/// live object past that generation, with the operator's intent unchanged, was edited by someone
/// else (kubectl edit, kubectl scale on the Deployment, another controller).
/// </summary>
public sealed class AppliedGenerations
{
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    public long? Get<T>(T obj) where T : IMetadata<V1ObjectMeta> =>
        _generations.TryGetValue(Key<T>(obj.Metadata.NamespaceProperty, obj.Metadata.Name), out var generation) ? generation : null;

    /// <summary>Records the generation the operator's own apply produced.</summary>
    public void Record<T>(T obj) where T : IMetadata<V1ObjectMeta>
    {
        if (obj.Metadata?.Generation is { } generation) _generations[Key<T>(obj.Metadata.NamespaceProperty, obj.Metadata.Name)] = generation;
    }

    /// <summary>Takes an object already in the intended state as the baseline (after a restart or a leader change).</summary>
    public void RecordIfAbsent<T>(T obj) where T : IMetadata<V1ObjectMeta>
    {
        if (obj.Metadata?.Generation is { } generation) _generations.TryAdd(Key<T>(obj.Metadata.NamespaceProperty, obj.Metadata.Name), generation);
    }

    /// <summary>Forgets every object of an InferenceService that was deleted (they share its name).</summary>
    public void Forget(string @namespace, string name)
    {
        foreach (var key in _generations.Keys)
        {
            if (key.EndsWith($"/{@namespace}/{name}", StringComparison.Ordinal)) _generations.TryRemove(key, out _);
        }
    }

    private static string Key<T>(string? @namespace, string name) => $"{typeof(T).Name}/{@namespace}/{name}";
}
