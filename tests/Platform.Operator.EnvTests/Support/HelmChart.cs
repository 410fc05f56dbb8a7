using System.Diagnostics;

namespace Platform.Operator.EnvTests.Support;

/// <summary>`helm template` of the repository's chart; helm from .tools/helm/helm (tools/test fetches it) or PATH.</summary>
internal static class HelmChart
{
    public const string ReleaseNamespace = "platform-system";

    public static string? Binary { get; } = new[] { RepositoryRoot.File(".tools", "helm", "helm") }
        .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "helm")))
        .FirstOrDefault(File.Exists);

    public static async Task<string> TemplateAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(Binary ?? throw new InvalidOperationException("helm not found"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in (string[])["template", "platform", RepositoryRoot.File("charts", "platform"), "--namespace", ReleaseNamespace, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0) throw new InvalidOperationException($"helm template exited {process.ExitCode}: {await error}");
        return await output;
    }
}

/// <summary>A fact that also needs helm (the chart is rendered with it).</summary>
public sealed class EnvTestHelmFactAttribute : FactAttribute
{
    public EnvTestHelmFactAttribute()
    {
        if (Platform.EnvTest.EnvTestAssets.MissingReason is { } reason) Skip = reason;
        else if (Platform.EnvTest.Kubectl.Path is null) Skip = "kubectl is not on PATH.";
        else if (HelmChart.Binary is null) Skip = "helm was not found at .tools/helm/helm or on PATH; tools/test fetches it.";
    }
}
