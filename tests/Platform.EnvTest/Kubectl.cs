using System.Diagnostics;

namespace Platform.EnvTest;

/// <summary>The outcome of one kubectl run.</summary>
public sealed record KubectlResult(int ExitCode, string Output, string Error)
{
    public KubectlResult EnsureSuccess(string what) =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"kubectl {what} exited {ExitCode}\n{Error}\n{Output}");
}

/// <summary>kubectl from PATH, run with a kubeconfig file; stdin optional.</summary>
public static class Kubectl
{
    public static string? Path { get; } = EnvTestAssets.OnPath("kubectl");

    public static async Task<KubectlResult> RunAsync(string kubeconfig, IEnumerable<string> arguments, string? input = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(Path ?? throw new InvalidOperationException("kubectl is not on PATH"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        info.ArgumentList.Add($"--kubeconfig={kubeconfig}");
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} ran past its deadline");
        }
        return new KubectlResult(process.ExitCode, await output, await error);
    }

    public static Task<KubectlResult> RunAsync(string kubeconfig, params string[] arguments) => RunAsync(kubeconfig, arguments, null);
}
