using System.Text.Json.Nodes;

namespace Platform.KubeApiDouble.Json;

/// <summary>
/// A simple field path such as <c>.spec.replicas</c> (the form CRD scale subresources and
/// printer columns use): dot-separated object keys, no wildcards or array indexes.
/// </summary>
internal sealed record DottedPath(IReadOnlyList<string> Segments)
{
    public static DottedPath Parse(string path)
    {
        var segments = path.Trim().TrimStart('.').Split('.', StringSplitOptions.None);
        if (segments.Length == 0 || segments.Any(string.IsNullOrEmpty))
        {
            throw new FormatException($"invalid field path \"{path}\": expected a form like .spec.replicas");
        }

        return new DottedPath(segments);
    }

    public JsonNode? Get(JsonObject root)
    {
        JsonNode? current = root;
        foreach (var segment in Segments)
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(segment, out current))
            {
                return null;
            }
        }

        return current;
    }

    public void Set(JsonObject root, JsonNode? value)
    {
        var current = root;
        for (var i = 0; i < Segments.Count - 1; i++)
        {
            current = current.EnsureObject(Segments[i]);
        }

        current[Segments[^1]] = value;
    }

    public override string ToString() => "." + string.Join('.', Segments);
}
