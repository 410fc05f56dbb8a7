namespace Platform.LoadGen.Cli;

/// <summary>
/// Reads "--name value", "--name=value" and bare "--flag" options of one command. Each option is taken
/// once by the command; whatever is left untaken is reported as unknown, so typos never pass silently.
/// </summary>
internal sealed class ArgReader
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public ArgReader(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"unexpected argument '{arg}' (options look like --name value)");
            }
            var body = arg[2..];
            string name;
            string? value;
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                (name, value) = (body[..equals], body[(equals + 1)..]);
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                (name, value) = (body, args[++i]);
            }
            else
            {
                (name, value) = (body, null);
            }
            if (!_options.TryAdd(name, value))
            {
                throw new UsageException($"--{name} is given more than once");
            }
        }
    }

    public bool Flag(string name)
    {
        if (!_options.TryGetValue(name, out var value))
        {
            return false;
        }
        _taken.Add(name);
        return value is null ? true : throw new UsageException($"--{name} takes no value");
    }

    public string? OptionalString(string name)
    {
        if (!_options.TryGetValue(name, out var value))
        {
            return null;
        }
        _taken.Add(name);
        return string.IsNullOrWhiteSpace(value) ? throw new UsageException($"--{name} needs a value") : value;
    }

    public string String(string name, string fallback) => OptionalString(name) ?? fallback;

    public string RequiredString(string name) =>
        OptionalString(name) ?? throw new UsageException($"--{name} is required");

    public string Choice(string name, string fallback, params string[] allowed)
    {
        var value = String(name, fallback);
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new UsageException($"--{name}: '{value}' is not one of {string.Join(", ", allowed)}");
    }

    public int Int(string name, int fallback, int min = 1, int max = int.MaxValue) =>
        OptionalString(name) is { } text ? CliValues.ParseInt(name, text, min, max) : fallback;

    public int? OptionalInt(string name, int min = 1, int max = int.MaxValue) =>
        OptionalString(name) is { } text ? CliValues.ParseInt(name, text, min, max) : null;

    public double? OptionalDouble(string name, double min, double max) =>
        OptionalString(name) is { } text ? CliValues.ParseDouble(name, text, min, max) : null;

    public TimeSpan Duration(string name, TimeSpan fallback) =>
        OptionalString(name) is { } text ? CliValues.ParseDuration(name, text) : fallback;

    public IReadOnlyList<int> IntList(string name, IReadOnlyList<int> fallback, int min = 1, int max = int.MaxValue) =>
        OptionalString(name) is { } text ? CliValues.ParseIntList(name, text, min, max) : fallback;

    /// <summary>Call after a command has taken all its options.</summary>
    public void RejectUnknown(string command)
    {
        var unknown = _options.Keys.Where(k => !_taken.Contains(k)).Select(k => "--" + k).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"'{command}' does not know {string.Join(", ", unknown)} (see 'loadgen help')");
        }
    }
}
