using System.Text.Json.Nodes;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Samples;

/// <summary>The manifests under samples/ (models excluded), each document with the file it came from.</summary>
internal static class SampleFiles
{
    public static IReadOnlyList<(string File, JsonObject Document)> All { get; } = Load();

    public static IEnumerable<(string File, JsonObject Document)> OfKind(string kind) => All.Where(d => (string?)d.Document["kind"] == kind);

    private static List<(string, JsonObject)> Load()
    {
        var root = RepositoryRoot.File("samples");
        return Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).StartsWith("models", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => YamlDocuments.ParseFile(f).Select(d => (Path.GetRelativePath(root, f), d)))
            .ToList();
    }
}
