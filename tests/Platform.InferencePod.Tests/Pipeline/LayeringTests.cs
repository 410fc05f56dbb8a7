using System.Text.RegularExpressions;

namespace Platform.InferencePod.Tests.Pipeline;

/// <summary>
/// The pod's namespaces, read from its sources' <c>using</c> directives: the core (the neutral
/// types, the pipeline and what it runs on) knows no protocol adapter, adapters know neither
/// each other's hosting nor the lifecycle, and no two namespaces import each other.
/// </summary>
public sealed partial class LayeringTests
{
    private const string Root = "Platform.InferencePod";
    private static readonly string[] Core = ["Inference", "Pipeline", "Batching", "Caching", "RateLimiting", "Model", "Metrics", "Gpu"];
    private static readonly string[] Adapters = ["Protocol", "Grpc", "Preprocessing", "Jobs"];
    private static readonly string[] Hosting = ["Lifecycle", "Hosting"];

    [Fact]
    public void The_core_uses_no_adapter_and_no_adapter_uses_the_hosting()
    {
        var graph = Dependencies();
        foreach (var core in Core)
            Assert.Empty(graph[core].Intersect(Adapters.Concat(Hosting)));
        foreach (var adapter in Adapters)
            Assert.Empty(graph[adapter].Intersect(Hosting));
    }

    [Fact]
    public void No_two_namespaces_of_the_pipeline_and_its_adapters_import_each_other()
    {
        var graph = Dependencies();
        var layered = Core.Concat(Adapters).ToHashSet();
        var cycles = new List<string>();
        foreach (var a in layered)
        {
            foreach (var b in graph[a].Where(layered.Contains))
            {
                if (string.CompareOrdinal(a, b) < 0 && Reaches(graph, b, a, layered)) cycles.Add($"{a} <-> {b}");
            }
        }
        Assert.Empty(cycles);
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> graph, string from, string to, HashSet<string> within)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>([from]);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node == to) return true;
            if (!seen.Add(node)) continue;
            foreach (var next in graph.GetValueOrDefault(node, []).Where(within.Contains)) stack.Push(next);
        }
        return false;
    }

    /// <summary>For each top-level namespace of the pod, the pod namespaces its files import.</summary>
    private static Dictionary<string, HashSet<string>> Dependencies()
    {
        var pod = RepositoryRoot.File("inference-pod");
        var graph = Core.Concat(Adapters).Concat(Hosting).ToDictionary(n => n, _ => new HashSet<string>());
        foreach (var file in Directory.EnumerateFiles(pod, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
            var text = File.ReadAllText(file);
            var own = NamespaceLine().Match(text);
            if (!own.Success) continue;
            var from = own.Groups[1].Value;
            if (!graph.TryGetValue(from, out var uses)) continue;
            foreach (Match use in UsingLine().Matches(text))
            {
                var to = use.Groups[1].Value;
                if (to != from) uses.Add(to);
            }
        }
        return graph;
    }

    [GeneratedRegex(@"^namespace Platform\.InferencePod\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using Platform\.InferencePod\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
