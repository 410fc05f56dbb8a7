namespace Platform.KubeApiDouble.Diagnostics;

/// <summary>One request the server answered, described the way an audit log would.</summary>
/// <param name="Verb">get, list, watch, create, update, patch, delete, deletecollection (or get for discovery).</param>
/// <param name="Resource">The plural resource name; null for discovery and other non-resource paths.</param>
/// <param name="IsApply">A server-side apply (a patch with <c>application/apply-patch+yaml</c>).</param>
public sealed record RecordedRequest(
    long Sequence,
    DateTimeOffset Time,
    string Method,
    string Path,
    string Verb,
    string? Group,
    string? Version,
    string? Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    int StatusCode,
    string? FieldManager,
    bool IsApply,
    string? UserAgent)
{
    /// <summary>create, update, patch (apply included), delete or deletecollection.</summary>
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";

    /// <summary>A request for a collection or object, as opposed to discovery or health paths.</summary>
    public bool IsResourceRequest => Resource is not null;
}
