using Platform.Tests.Shared;

namespace Platform.Packaging.Tests.Support;

/// <summary>
/// The helm binary: &lt;repo&gt;/.tools/helm/helm (where tools/test puts it) or helm on PATH.
/// The tests that need it are <c>[ToolFact(TestPrograms.Helm)]</c>: without it they skip with the reason.
/// </summary>
internal static class Helm
{
    public static readonly string ChartDirectory = RepositoryRoot.File("charts", "platform");

    private static readonly Lazy<string?> Binary = new(() => TestPrograms.Find(TestPrograms.Helm));

    public static string Path => Binary.Value ?? throw new InvalidOperationException(TestPrograms.MissingReason([TestPrograms.Helm]));

    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Path, arguments, RepositoryRoot.Path, TimeSpan.FromSeconds(60));

    /// <summary>helm template of the chart as release "platform" in namespace "platform-system".</summary>
    public static Task<ProcessResult> TemplateAsync(params string[] setArguments) =>
        RunAsync(["template", "platform", ChartDirectory, "--namespace", "platform-system", .. setArguments]);
}
