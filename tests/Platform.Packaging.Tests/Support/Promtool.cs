using Platform.Tests.Shared;

namespace Platform.Packaging.Tests.Support;

/// <summary>promtool, from Debian's prometheus package; the tests that run it are <c>[ToolFact(..., TestPrograms.Promtool)]</c>.</summary>
internal static class Promtool
{
    private static readonly Lazy<string?> Binary = new(() => TestPrograms.Find(TestPrograms.Promtool));

    public static Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments) =>
        ProcessRunner.RunAsync(
            Binary.Value ?? throw new InvalidOperationException(TestPrograms.MissingReason([TestPrograms.Promtool])),
            arguments, workingDirectory, TimeSpan.FromSeconds(60));
}
