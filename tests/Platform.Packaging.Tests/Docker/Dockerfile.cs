using System.Text.RegularExpressions;

namespace Platform.Packaging.Tests.Docker;

/// <summary>One instruction, with line continuations joined and its keyword upper-cased.</summary>
internal sealed record Instruction(string Keyword, string Arguments, int Line)
{
    /// <summary>Leading --flag=value options (COPY --from, RUN --mount, FROM --platform).</summary>
    public IReadOnlyDictionary<string, string> Flags => Split().Flags;

    /// <summary>The arguments after the leading flags.</summary>
    public string Body => Split().Body;

    private (Dictionary<string, string> Flags, string Body) Split()
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = Arguments;
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOf(' ', StringComparison.Ordinal);
            var flag = end < 0 ? rest : rest[..end];
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            flags[equals < 0 ? flag[2..] : flag[2..equals]] = equals < 0 ? "" : flag[(equals + 1)..];
            rest = end < 0 ? "" : rest[(end + 1)..].TrimStart();
        }
        return (flags, rest);
    }
}

/// <summary>A build stage: FROM image [AS name] and what follows it.</summary>
internal sealed record Stage(int Index, string From, string? Name, IReadOnlyList<Instruction> Instructions)
{
    public IEnumerable<Instruction> Where(string keyword) => Instructions.Where(i => i.Keyword == keyword);
}

/// <summary>
/// A Dockerfile read the way BuildKit reads it, enough to check it without a Docker engine:
/// instructions, stages, ARG defaults and ${VAR} substitution.
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<Instruction> globalArguments, IReadOnlyList<Stage> stages)
    {
        GlobalArguments = globalArguments;
        Stages = stages;
    }

    /// <summary>ARG instructions before the first FROM: usable in FROM lines, and in stages that redeclare them.</summary>
    public IReadOnlyList<Instruction> GlobalArguments { get; }

    public IReadOnlyList<Stage> Stages { get; }

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<Instruction>();
        var pending = "";
        var start = 0;
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#'))) continue;
            if (pending.Length > 0 && line.StartsWith('#')) continue;
            if (pending.Length == 0) start = i + 1;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1].TrimEnd() + " ";
                continue;
            }
            var full = (pending + line).Trim();
            pending = "";
            var space = full.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add(space < 0
                ? new Instruction(full.ToUpperInvariant(), "", start)
                : new Instruction(full[..space].ToUpperInvariant(), full[(space + 1)..].Trim(), start));
        }

        var globals = instructions.TakeWhile(i => i.Keyword != "FROM").ToList();
        if (globals.FirstOrDefault(i => i.Keyword != "ARG") is { } stray)
        {
            throw new FormatException($"line {stray.Line}: {stray.Keyword} before the first FROM");
        }
        var stages = new List<Stage>();
        foreach (var instruction in instructions.Skip(globals.Count))
        {
            if (instruction.Keyword == "FROM")
            {
                var parts = instruction.Body.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var name = parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null;
                stages.Add(new Stage(stages.Count, parts[0], name, [instruction]));
            }
            else
            {
                var last = stages[^1];
                stages[^1] = last with { Instructions = [.. last.Instructions, instruction] };
            }
        }
        if (stages.Count == 0) throw new FormatException("no FROM instruction");
        return new Dockerfile(globals, stages);
    }

    /// <summary>Global ARG values: their defaults, overridden by build arguments.</summary>
    public Dictionary<string, string> GlobalValues(IReadOnlyDictionary<string, string> buildArguments)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var argument in GlobalArguments)
        {
            var (name, fallback) = ArgumentDeclaration(argument);
            if (buildArguments.TryGetValue(name, out var given)) values[name] = given;
            else if (fallback is not null) values[name] = Substitute(fallback, values);
        }
        foreach (var (name, value) in buildArguments) values.TryAdd(name, value);
        return values;
    }

    /// <summary>The stage a name refers to, or null when it is an image.</summary>
    public Stage? StageNamed(string name) => Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The default target (the last stage) and the stages it is built FROM, final first.</summary>
    public IReadOnlyList<Stage> FinalChain(IReadOnlyDictionary<string, string> buildArguments)
    {
        var values = GlobalValues(buildArguments);
        var chain = new List<Stage> { Stages[^1] };
        while (StageNamed(Substitute(chain[^1].From, values)) is { } parent)
        {
            if (chain.Contains(parent)) throw new FormatException($"stage {parent.Name} is built from itself");
            chain.Add(parent);
        }
        return chain;
    }

    /// <summary>The image at the bottom of a chain of stages.</summary>
    public string BaseImage(IReadOnlyList<Stage> chain, IReadOnlyDictionary<string, string> buildArguments) =>
        Substitute(chain[^1].From, GlobalValues(buildArguments));

    /// <summary>The values a stage's instructions see: its ARGs (a bare ARG takes the global value or build argument).</summary>
    public Dictionary<string, string> StageValues(Stage stage, IReadOnlyDictionary<string, string> buildArguments)
    {
        var globals = GlobalValues(buildArguments);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var argument in stage.Where("ARG"))
        {
            var (name, fallback) = ArgumentDeclaration(argument);
            if (buildArguments.TryGetValue(name, out var given)) values[name] = given;
            else if (fallback is not null) values[name] = Substitute(fallback, values);
            else if (globals.TryGetValue(name, out var global)) values[name] = global;
        }
        return values;
    }

    /// <summary>Replaces $NAME and ${NAME}; an unknown name is an error rather than silently empty.</summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> values) =>
        Variable().Replace(text, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value;
            return values.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"${name} is not declared in this stage or given as a build argument");
        });

    private static (string Name, string? Default) ArgumentDeclaration(Instruction argument)
    {
        var equals = argument.Body.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (argument.Body.Trim(), null) : (argument.Body[..equals].Trim(), argument.Body[(equals + 1)..].Trim());
    }

    [GeneratedRegex(@"\$(\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?<plain>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();
}
