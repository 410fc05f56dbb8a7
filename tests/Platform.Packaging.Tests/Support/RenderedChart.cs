using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Platform.Packaging.Tests.Support;

/// <summary>The objects `helm template` renders for one set of values.</summary>
internal sealed class RenderedChart(IReadOnlyList<JsonObject> objects)
{
    public const string ReleaseName = "platform";
    public const string ReleaseNamespace = "platform-system";

    private static readonly ConcurrentDictionary<string, Lazy<Task<RenderedChart>>> Cache = new();

    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    /// <summary>Renders once per distinct set of arguments; tests share the result.</summary>
    public static Task<RenderedChart> RenderAsync(params string[] setArguments) =>
        Cache.GetOrAdd(string.Join('\u0001', setArguments), _ => new Lazy<Task<RenderedChart>>(() => RenderNowAsync(setArguments))).Value;

    private static async Task<RenderedChart> RenderNowAsync(string[] setArguments)
    {
        var result = await Helm.TemplateAsync(setArguments);
        Assert.True(result.ExitCode == 0, result.Describe($"helm template {string.Join(' ', setArguments)}"));
        return new RenderedChart(YamlDocuments.Parse(result.StandardOutput));
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind)
    {
        var matches = OfKind(kind).ToList();
        Assert.True(matches.Count == 1, $"expected one {kind}, found {matches.Count}");
        return matches[0];
    }

    public JsonObject OperatorContainer =>
        Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single(c => (string?)c!["name"] == "operator")!.AsObject();

    /// <summary>The operator container's plain environment variables (valueFrom entries excluded).</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        OperatorContainer["env"]!.AsArray()
            .Where(e => e!["value"] is not null)
            .ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!);

    /// <summary>The fieldPath a downward-API variable reads, or null.</summary>
    public string? FieldRef(string variable) =>
        (string?)OperatorContainer["env"]!.AsArray().SingleOrDefault(e => (string?)e!["name"] == variable)?["valueFrom"]?["fieldRef"]?["fieldPath"];
}
