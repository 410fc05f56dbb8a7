using System.Text.Json.Nodes;

namespace Platform.Packaging.Tests.Support;

internal static class JsonStrings
{
    /// <summary>A JSON array of strings as a list; a missing array as an empty one.</summary>
    public static IReadOnlyList<string> Of(JsonNode? node) =>
        node?.AsArray().Select(n => (string)n!).ToList() ?? [];
}
