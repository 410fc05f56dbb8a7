using System.Diagnostics;

namespace Platform.Packaging.Tests.Support;

/// <summary>The outcome of a finished process.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Describe(string what) => $"{what} exited {ExitCode}\n--- stdout ---\n{Tail(StandardOutput)}\n--- stderr ---\n{Tail(StandardError)}";

    private static string Tail(string text) => text.Length > 4000 ? "..." + text[^4000..] : text;
}

/// <summary>Runs a program with an argument list (no shell), captures its output, and kills it past a deadline.</summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} ran past {timeout.TotalSeconds:0} s\n{await stderr}");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
