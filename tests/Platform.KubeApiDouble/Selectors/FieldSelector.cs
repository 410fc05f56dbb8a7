using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.KubeApiDouble.Json;

namespace Platform.KubeApiDouble.Selectors;

internal sealed record FieldRequirement(string Field, bool Equal, string Value);

/// <summary>A parsed field selector (<c>metadata.name=x,status.phase!=Running</c>).</summary>
internal sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    /// <summary>Parses and checks each field against the ones the resource supports, as the server does.</summary>
    /// <exception cref="FormatException">Malformed, or a field label the resource does not support.</exception>
    public static FieldSelector Parse(string? text, IReadOnlyCollection<string> supportedFields)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<FieldRequirement>();
        foreach (var part in text.Split(','))
        {
            var (field, equal, value) = SplitTerm(part.Trim(), text);
            if (field != "metadata.name" && field != "metadata.namespace" && !supportedFields.Contains(field))
            {
                throw new FormatException($"field label not supported: {field}");
            }

            requirements.Add(new FieldRequirement(field, equal, value));
        }

        return new FieldSelector(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string> fields) =>
        Requirements.All(r => (fields.GetValueOrDefault(r.Field, string.Empty) == r.Value) == r.Equal);

    /// <summary>The values of the given field labels in an object (missing fields read as empty).</summary>
    public static IReadOnlyDictionary<string, string> FieldsOf(JsonObject obj, IEnumerable<string> fields)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields.Append("metadata.name").Append("metadata.namespace"))
        {
            values[field] = DottedPath.Parse(field).Get(obj) switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonValue v => v.ToJsonString(),
                _ => string.Empty,
            };
        }

        return values;
    }

    private static (string Field, bool Equal, string Value) SplitTerm(string term, string text)
    {
        foreach (var (op, equal) in new[] { ("!=", false), ("==", true), ("=", true) })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (term[..at].Trim(), equal, term[(at + op.Length)..].Trim());
            }
        }

        throw new FormatException($"invalid selector: '{text}'; can't understand '{term}'");
    }
}
