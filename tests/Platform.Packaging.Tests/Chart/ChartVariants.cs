namespace Platform.Packaging.Tests.Chart;

/// <summary>The value sets the chart tests render, by name (the name shows in test results).</summary>
internal static class ChartVariants
{
    public const string WatchedNamespace = "ml";

    private static readonly Dictionary<string, string[]> Arguments = new(StringComparer.Ordinal)
    {
        ["defaults"] = [],
        ["two-replicas"] = ["--set", "replicas=2"],
        ["watch-namespace"] = ["--set", $"operator.watchNamespace={WatchedNamespace}"],
        ["watch-namespace-two-replicas"] = ["--set", $"operator.watchNamespace={WatchedNamespace}", "--set", "replicas=2"],
        ["one-replica-leader-election"] = ["--set", "operator.leaderElection.enabled=true"],
        ["monitoring"] =
        [
            "--set", "metrics.serviceMonitor.enabled=true",
            "--set", "metrics.podMonitor.enabled=true",
            "--set", "prometheusRule.enabled=true",
        ],
    };

    public static TheoryData<string> All => new(Arguments.Keys);

    public static string[] Of(string variant) => Arguments[variant];

    public static string? WatchNamespaceOf(string variant) => variant.StartsWith("watch-namespace", StringComparison.Ordinal) ? WatchedNamespace : null;

    public static bool LeaderElectionOf(string variant) => variant is "two-replicas" or "watch-namespace-two-replicas" or "one-replica-leader-election";
}
