using System.Globalization;

namespace Platform.LoadGen.Cli;

/// <summary>Parsing of option values: durations, numbers and lists.</summary>
internal static class CliValues
{
    /// <summary>"20s", "500ms", "2m", "1.5s"; a bare number is seconds.</summary>
    public static TimeSpan ParseDuration(string option, string text)
    {
        var (number, unitSeconds) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 0.001),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1.0),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value < 0)
        {
            throw new UsageException($"--{option}: '{text}' is not a duration (examples: 20s, 500ms, 2m)");
        }
        return TimeSpan.FromSeconds(value * unitSeconds);
    }

    public static int ParseInt(string option, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new UsageException($"--{option}: '{text}' is not a whole number");
        }
        if (value < min || value > max)
        {
            throw new UsageException($"--{option}: {value} is out of range [{min}, {max}]");
        }
        return value;
    }

    public static double ParseDouble(string option, string text, double min, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new UsageException($"--{option}: '{text}' is not a number");
        }
        if (value < min || value > max)
        {
            throw new UsageException($"--{option}: {value.ToString(CultureInfo.InvariantCulture)} is out of range [{min}, {max}]");
        }
        return value;
    }

    /// <summary>"1,2,4,8": distinct values in the order given.</summary>
    public static IReadOnlyList<int> ParseIntList(string option, string text, int min, int max)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new UsageException($"--{option}: expected a comma-separated list of whole numbers");
        }
        var values = parts.Select(p => ParseInt(option, p, min, max)).ToList();
        if (values.Distinct().Count() != values.Count)
        {
            throw new UsageException($"--{option}: '{text}' repeats a value");
        }
        return values;
    }

    public static TimeSpan Positive(string option, TimeSpan value) =>
        value > TimeSpan.Zero ? value : throw new UsageException($"--{option} must be longer than zero");

    /// <summary>The full path of an existing file.</summary>
    public static string ExistingFile(string option, string path) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new UsageException($"--{option}: no file at '{path}'");
}
