namespace Platform.KubeApiDouble.Patching;

internal enum PatchKind
{
    Merge,
    Json,
    StrategicMerge,
    Apply,
}

internal static class PatchKinds
{
    /// <summary>The patch kind a <c>Content-Type</c> names, or null when it names none.</summary>
    public static PatchKind? FromContentType(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            "application/merge-patch+json" => PatchKind.Merge,
            "application/json-patch+json" => PatchKind.Json,
            "application/strategic-merge-patch+json" => PatchKind.StrategicMerge,
            "application/apply-patch+yaml" or "application/apply-patch+json" or "application/apply-patch+cbor" => PatchKind.Apply,
            _ => null,
        };
    }
}
