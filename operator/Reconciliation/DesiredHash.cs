using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// Apply-equality by hash: each desired object carries, in the
/// <see cref="ResourceLabels.DesiredHashAnnotation"/> annotation, a hash of its own canonical
/// JSON. After an apply the live object carries the same annotation, so comparing the two
/// annotations tells whether the operator's intent changed, without comparing against the
/// live object's server-filled defaults and normalised quantities (which never match
/// field by field). An out-of-band edit of the spec leaves the hash as it was but moves the
/// object's generation: <see cref="ChangedOutOfBand"/> tells the controller to apply again.
/// </summary>
public static class DesiredHash
{
    /// <summary>Hex SHA-256 of the object's canonical JSON (keys sorted, nulls dropped, hash annotation excluded).</summary>
    public static string Compute(IMetadata<V1ObjectMeta> desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var node = JsonNode.Parse(KubernetesJson.Serialize(desired))
            ?? throw new InvalidOperationException("The object serialized to null.");
        if (node["metadata"]?["annotations"] is JsonObject annotations)
        {
            annotations.Remove(ResourceLabels.DesiredHashAnnotation);
            if (annotations.Count == 0)
            {
                node["metadata"]!.AsObject().Remove("annotations");
            }
        }
        var canonical = Canonical(node)!.ToJsonString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Sets the hash annotation on the object and returns it.</summary>
    public static T Stamp<T>(T desired)
        where T : IMetadata<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(desired);
        var hash = Compute(desired);
        desired.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        desired.Metadata.Annotations[ResourceLabels.DesiredHashAnnotation] = hash;
        return desired;
    }

    /// <summary>The hash annotation of an object, or null.</summary>
    public static string? Of(IMetadata<V1ObjectMeta>? obj) =>
        obj?.Metadata?.Annotations is { } annotations && annotations.TryGetValue(ResourceLabels.DesiredHashAnnotation, out var hash)
            ? hash
            : null;

    /// <summary>
    /// Whether the desired (stamped) object must be applied: the observed one is missing,
    /// is being deleted, or carries another hash (or none).
    /// </summary>
    public static bool NeedsApply(IMetadata<V1ObjectMeta> desired, IMetadata<V1ObjectMeta>? observed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var desiredHash = Of(desired) ?? throw new ArgumentException("The desired object carries no hash; build it with DesiredStateBuilder or Stamp it.", nameof(desired));
        if (observed is null || observed.Metadata?.DeletionTimestamp is not null)
        {
            return true;
        }
        return !string.Equals(desiredHash, Of(observed), StringComparison.Ordinal);
    }

    /// <summary>
    /// Whether an object whose hash still matches was changed by someone else since the
    /// operator applied it: its generation (bumped by the API server on every spec change) is
    /// past the one the operator's apply produced. An older one is only a cache that lags.
    /// </summary>
    public static bool ChangedOutOfBand(long? observedGeneration, long? appliedGeneration) =>
        observedGeneration is { } observed && appliedGeneration is { } applied && observed > applied;

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .Where(p => p.Value is not null)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        null => null,
        _ => node.DeepClone(),
    };
}
