namespace Platform.Packaging.Tests.Support;

/// <summary>promtool, from Debian's prometheus package (.ci/run installs it).</summary>
internal static class Promtool
{
    private const string InstallHint = "promtool was not found on PATH; install Debian's prometheus package (apt-get install prometheus), as .ci/run does.";

    private static readonly Lazy<string?> Binary = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "promtool"))
            .FirstOrDefault(File.Exists));

    public static Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments) =>
        ProcessRunner.RunAsync(Binary.Value ?? throw new InvalidOperationException(InstallHint), arguments, workingDirectory, TimeSpan.FromSeconds(60));
}
