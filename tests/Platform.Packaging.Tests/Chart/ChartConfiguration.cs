using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Chart;

/// <summary>
/// The configuration the operator process sees when the chart's Deployment runs it: the
/// container's environment, with downward-API values filled in for one pod, as .NET
/// configuration keys ("Operator__Workers" becomes "Operator:Workers").
/// </summary>
internal static class ChartConfiguration
{
    public const string PodName = "platform-6d9c7b8f5-x2kqz";

    public static IReadOnlyDictionary<string, string> Of(RenderedChart chart)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in chart.OperatorContainer["env"]!.AsArray())
        {
            var name = (string)variable!["name"]!;
            var value = variable["value"] is { } plain
                ? (string)plain!
                : (string?)variable["valueFrom"]?["fieldRef"]?["fieldPath"] switch
                {
                    "metadata.name" => PodName,
                    "metadata.namespace" => RenderedChart.ReleaseNamespace,
                    var other => throw new InvalidOperationException($"{name}: unsupported downward-API field {other}"),
                };
            values[name.Replace("__", ":", StringComparison.Ordinal)] = value;
        }
        return values;
    }

    /// <summary>
    /// The same configuration as command-line arguments of the operator process; variables that
    /// are not configuration keys (ASPNETCORE_HTTP_PORTS) are left out, a test chooses its own port.
    /// </summary>
    public static IEnumerable<string> AsArguments(RenderedChart chart) =>
        Of(chart).Where(kv => kv.Key.Contains(':', StringComparison.Ordinal)).Select(kv => $"--{kv.Key}={kv.Value}");
}
