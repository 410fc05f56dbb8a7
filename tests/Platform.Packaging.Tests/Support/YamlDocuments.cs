using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Packaging.Tests.Support;

/// <summary>
/// Reads (multi-document) YAML into JSON trees the way Kubernetes reads manifests: plain
/// scalars are typed (numbers, booleans, null), quoted and block scalars are strings.
/// </summary>
internal static partial class YamlDocuments
{
    /// <summary>Every non-empty document, in order.</summary>
    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents
            .Where(d => d.RootNode is YamlMappingNode { Children.Count: > 0 })
            .Select(d => (JsonObject)Convert(d.RootNode)!)
            .ToList();
    }

    public static IReadOnlyList<JsonObject> ParseFile(string path) => Parse(File.ReadAllText(path));

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException($"YAML node {node.GetType().Name} at {node.Start}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain) return JsonValue.Create(text);
        if (text is "" or "~" or "null") return null;
        if (text is "true" or "false") return JsonValue.Create(text == "true");
        if (Integer().IsMatch(text)) return JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture));
        if (Float().IsMatch(text)) return JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture));
        return JsonValue.Create(text);
    }

    [GeneratedRegex("^-?(0|[1-9][0-9]*)$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
