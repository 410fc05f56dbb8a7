using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.LoadGen.Reporting;

/// <summary>Writes a run's results as indented camelCase JSON for scripts.</summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void WriteIfAsked<T>(string? path, T report)
    {
        if (path is null)
        {
            return;
        }
        try
        {
            File.WriteAllText(path, JsonSerializer.Serialize(report, Options));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LoadGenException($"cannot write --json {path}: {e.Message}", e);
        }
        Console.WriteLine($"results written to {path}");
    }
}
