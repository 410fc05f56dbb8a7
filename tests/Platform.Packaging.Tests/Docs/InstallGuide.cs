using System.Text.RegularExpressions;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Docs;

/// <summary>
/// The commands of docs/install.md in order, with the guide's own shell variables expanded
/// (NAME=value lines; a value from <c>$(...)</c> stays unexpanded, as a temporary path).
/// </summary>
internal static class InstallGuide
{
    public static readonly string File = RepositoryRoot.File("docs", "install.md");

    /// <summary>Programs the guide may use; each is checked by the tests.</summary>
    public static readonly IReadOnlySet<string> KnownPrograms = new HashSet<string>(StringComparer.Ordinal)
    {
        "kind", "docker", "kubectl", "helm", "dotnet", "curl", "echo", "cp", "printf", "rm",
    };

    public static IReadOnlyList<IReadOnlyList<ShellCommand>> Lines { get; } = Expand(ShellCommand.ReadBlocks(File));

    public static IEnumerable<ShellCommand> Commands => Lines.SelectMany(l => l).Where(c => !c.IsAssignment);

    public static IEnumerable<ShellCommand> Of(string program, string? subcommand = null) =>
        Commands.Where(c => c.Program == program && (subcommand is null || c.Words.Count > 1 && c.Words[1] == subcommand));

    /// <summary>A path relative to the repository root, or null for one outside it (absolute, or under an unexpanded variable).</summary>
    public static string? RepositoryPath(string word) =>
        word.Contains('$', StringComparison.Ordinal) || Path.IsPathRooted(word) ? null : RepositoryRoot.File(word.Split('/')).TrimEnd('/');

    private static List<IReadOnlyList<ShellCommand>> Expand(IReadOnlyList<IReadOnlyList<ShellCommand>> lines)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var expanded = new List<IReadOnlyList<ShellCommand>>();
        foreach (var line in lines)
        {
            var commands = new List<ShellCommand>();
            foreach (var command in line)
            {
                var words = command.Words.Select(w => Substitute(w, variables)).ToList();
                var result = command with { Words = words, RedirectTo = command.RedirectTo is null ? null : Substitute(command.RedirectTo, variables) };
                if (result.IsAssignment)
                {
                    var equals = words[0].IndexOf('=', StringComparison.Ordinal);
                    var value = words[0][(equals + 1)..];
                    if (!value.Contains("$(", StringComparison.Ordinal)) variables[words[0][..equals]] = value;
                }
                commands.Add(result);
            }
            expanded.Add(commands);
        }
        return expanded;
    }

    private static string Substitute(string word, IReadOnlyDictionary<string, string> variables) =>
        Regex.Replace(word, @"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", m => variables.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);
}
