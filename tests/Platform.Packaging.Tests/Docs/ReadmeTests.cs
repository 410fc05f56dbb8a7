using System.Reflection;
using System.Text.RegularExpressions;
using Platform.Contracts;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Docs;

/// <summary>The README is the one place a newcomer needs: every pod setting and metric, working links.</summary>
public sealed class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(RepositoryRoot.File("README.md"));

    [Fact]
    public void Every_pod_setting_is_in_the_configuration_table()
    {
        var keys = Constants(typeof(PodSettings)).Where(v => Regex.IsMatch(v, "^[A-Z][A-Za-z]+:[A-Z][A-Za-z]+$")).ToList();
        Assert.Contains(PodSettings.ServerGrpcPort, keys);
        var table = Section(Readme, "### Configuration");
        var missing = keys.Where(k => !table.Contains($"`{k}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"README.md's configuration table lacks {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_pod_metric_and_label_value_is_in_the_metrics_table()
    {
        var table = Section(Readme, "### Metrics");
        var names = Constants(typeof(PodMetrics)).Where(v => v.StartsWith("platform_", StringComparison.Ordinal)).ToList();
        var values = typeof(PodMetrics).GetNestedTypes().SelectMany(Constants).ToList();
        Assert.Contains(PodMetrics.Reasons.RateLimited, values);
        var missing = names.Concat(values).Where(v => !table.Contains($"`{v}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"README.md's metrics table lacks {string.Join(", ", missing)}");
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/install.md")]
    [InlineData("docs/pod-grpc-ratelimits-gpu.md")]
    [InlineData("docs/pod-images-cache-jobs.md")]
    [InlineData("bench/README.md")]
    public void Every_relative_link_names_a_file_that_exists(string document)
    {
        var path = RepositoryRoot.File(document.Split('/'));
        var links = Regex.Matches(File.ReadAllText(path), @"\]\(([^)#\s]+)(#[^)]*)?\)").Select(m => m.Groups[1].Value)
            .Where(l => !l.Contains("://", StringComparison.Ordinal)).ToList();
        var broken = links.Where(l => !File.Exists(Path.Combine(Path.GetDirectoryName(path)!, l)) && !Directory.Exists(Path.Combine(Path.GetDirectoryName(path)!, l))).ToList();
        Assert.True(broken.Count == 0, $"{document} links to {string.Join(", ", broken)}, which do not exist");
    }

    [Fact]
    public void The_readme_links_every_guide_and_benchmark_report()
    {
        var documents = Directory.GetFiles(RepositoryRoot.File("docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f))
            .Concat(Directory.GetFiles(RepositoryRoot.File("bench"), "README.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(RepositoryRoot.Path, f).Replace('\\', '/')))
            .ToList();
        var missing = documents.Where(d => !Readme.Contains($"]({d})", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"README.md does not link {string.Join(", ", missing)}");
        Assert.Contains("](autoscaling/README.md)", File.ReadAllText(RepositoryRoot.File("bench", "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_readmes_requests_end_their_output_with_a_newline_and_name_files_that_exist()
    {
        var commands = ShellCommand.ReadBlocks(RepositoryRoot.File("README.md"));
        var curls = commands.Where(l => l.Any(c => c.Program == "curl")).ToList();
        Assert.NotEmpty(curls);
        foreach (var line in curls)
        {
            Assert.True(line.Any(c => c.Program == "echo") || line.Any(c => c.Has("-w")), $"curl without a trailing newline: {line[0]}");
            foreach (var data in line.SelectMany(c => c.Options("-d")).Where(d => d.StartsWith('@')))
                Assert.True(File.Exists(RepositoryRoot.File(data[1..].Split('/'))), $"README.md posts {data[1..]}, which does not exist");
        }
    }

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>The table rows from a heading to the next heading of the same or a higher level.</summary>
    private static string Section(string markdown, string heading) =>
        string.Join('\n', SectionText(markdown, heading).Split('\n').Where(l => l.StartsWith('|')));

    private static string SectionText(string markdown, string heading)
    {
        var start = markdown.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{heading}' section");
        var level = heading.TakeWhile(c => c == '#').Count();
        var next = Regex.Match(markdown[(start + heading.Length + 2)..], $@"\n#{{1,{level}}} ");
        return next.Success ? markdown.Substring(start, heading.Length + 2 + next.Index) : markdown[start..];
    }
}
