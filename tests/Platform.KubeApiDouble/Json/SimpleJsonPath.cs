using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.KubeApiDouble.Json;

/// <summary>
/// The JSONPath subset printer columns use: <c>.a.b</c>, <c>[n]</c>, <c>[*]</c> and filters
/// <c>[?(@.type=="Ready")]</c>. Evaluates to every matching node.
/// </summary>
internal static partial class SimpleJsonPath
{
    /// <exception cref="FormatException">The path uses syntax outside the subset.</exception>
    public static IReadOnlyList<JsonNode?> Evaluate(JsonNode? root, string path)
    {
        IEnumerable<JsonNode?> current = [root];
        var text = path.Trim().TrimStart('{').TrimEnd('}').TrimStart('$');
        var position = 0;
        foreach (Match match in Step().Matches(text))
        {
            if (match.Index != position)
            {
                throw new FormatException($"unsupported JSONPath \"{path}\"");
            }

            position = match.Index + match.Length;
            current = match switch
            {
                _ when match.Groups["field"].Success => current.Select(n => (n as JsonObject)?[match.Groups["field"].Value]),
                _ when match.Groups["index"].Success => current.Select(n => n is JsonArray a && int.Parse(match.Groups["index"].Value) is var i && i < a.Count ? a[i] : null),
                _ when match.Groups["all"].Success => current.SelectMany(n => n as JsonArray ?? []),
                _ => current.SelectMany(n => (n as JsonArray ?? []).Where(item =>
                    (item as JsonObject)?[match.Groups["key"].Value]?.ToString() == match.Groups["value"].Value)),
            };
        }

        if (position != text.Length)
        {
            throw new FormatException($"unsupported JSONPath \"{path}\"");
        }

        return current.Where(n => n is not null).ToList();
    }

    [GeneratedRegex(@"\.(?<field>[A-Za-z0-9_\-/]+)|\[(?<index>\d+)\]|\[(?<all>\*)\]|\[\?\(@\.(?<key>[A-Za-z0-9_]+)\s*==\s*[""'](?<value>[^""']*)[""']\)\]")]
    private static partial Regex Step();
}
