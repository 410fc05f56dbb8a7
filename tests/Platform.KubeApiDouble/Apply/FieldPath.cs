namespace Platform.KubeApiDouble.Apply;

/// <summary>
/// A path to a field in the element syntax of <c>fieldsV1</c>: <c>f:spec</c>, <c>f:replicas</c>,
/// <c>k:{"name":"web"}</c> for an item of a keyed list. Compared by value.
/// </summary>
internal sealed class FieldPath : IEquatable<FieldPath>
{
    private const char Separator = '\u001f';

    public static readonly FieldPath Root = new([]);

    private FieldPath(IReadOnlyList<string> elements)
    {
        Elements = elements;
        Key = string.Join(Separator, elements);
    }

    public IReadOnlyList<string> Elements { get; }

    private string Key { get; }

    public bool IsListItem => Elements.Count > 0 && Elements[^1].StartsWith("k:", StringComparison.Ordinal);

    public FieldPath Field(string name) => new([.. Elements, "f:" + name]);

    public FieldPath Item(string keyJson) => new([.. Elements, "k:" + keyJson]);

    public FieldPath Append(string element) => new([.. Elements, element]);

    /// <summary>True when this path lies strictly below <paramref name="ancestor"/>.</summary>
    public bool IsBelow(FieldPath ancestor) =>
        ancestor.Elements.Count == 0
            ? Elements.Count > 0
            : Key.Length > ancestor.Key.Length && Key.StartsWith(ancestor.Key + Separator, StringComparison.Ordinal);

    /// <summary>The path as the API server prints it in conflict messages: <c>.spec.replicas</c>, <c>.spec.containers[name="web"].image</c>.</summary>
    public string Display()
    {
        var builder = new System.Text.StringBuilder();
        foreach (var element in Elements)
        {
            if (element.StartsWith("f:", StringComparison.Ordinal))
            {
                builder.Append('.').Append(element[2..]);
            }
            else if (element.StartsWith("k:", StringComparison.Ordinal))
            {
                var key = System.Text.Json.Nodes.JsonNode.Parse(element[2..]) as System.Text.Json.Nodes.JsonObject;
                builder.Append('[').Append(string.Join(",", key?.Select(p => $"{p.Key}={p.Value?.ToJsonString()}") ?? [])).Append(']');
            }
            else
            {
                builder.Append('[').Append(element).Append(']');
            }
        }

        return builder.ToString();
    }

    public bool Equals(FieldPath? other) => other is not null && other.Key == Key;

    public override bool Equals(object? obj) => obj is FieldPath other && Equals(other);

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Display();
}
