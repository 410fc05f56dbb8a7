using System.Text.RegularExpressions;

namespace Platform.Packaging.Tests.Docker;

/// <summary>
/// .dockerignore matching as BuildKit does it: patterns relative to the context root with
/// *, ? and **; a pattern that matches a directory excludes everything under it; a later
/// '!' pattern re-includes; the last matching pattern wins.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules;

    private DockerIgnore(List<(Regex, bool)> rules) => _rules = rules;

    public static DockerIgnore Load(string contextDirectory)
    {
        var path = Path.Combine(contextDirectory, ".dockerignore");
        var lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        var rules = new List<(Regex, bool)>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var exclude = !line.StartsWith('!');
            var pattern = (exclude ? line : line[1..]).Trim().Trim('/');
            if (pattern.StartsWith("./", StringComparison.Ordinal)) pattern = pattern[2..];
            rules.Add((new Regex("^" + ToRegex(pattern) + "(/.*)?$", RegexOptions.CultureInvariant), exclude));
        }
        return new DockerIgnore(rules);
    }

    /// <summary>Whether a path relative to the context (with '/' separators) is left out of the context.</summary>
    public bool Excludes(string relativePath)
    {
        var excluded = false;
        foreach (var (pattern, exclude) in _rules)
        {
            if (pattern.IsMatch(relativePath)) excluded = exclude;
        }
        return excluded;
    }

    private static string ToRegex(string pattern)
    {
        var regex = new System.Text.StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches any number of directories, including none.
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slash ? "(.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else regex.Append(Regex.Escape(c.ToString()));
        }
        return regex.ToString();
    }
}
