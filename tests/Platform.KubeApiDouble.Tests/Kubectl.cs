using System.Diagnostics;

namespace Platform.KubeApiDouble.Tests;

/// <summary>Runs the real kubectl (installed on every build machine) against a server, isolated from any user configuration.</summary>
internal sealed class Kubectl(string server) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("kubectl-").FullName;

    public async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _home,
        };
        foreach (var arg in new[] { "--server", server, "--cache-dir", Path.Combine(_home, "cache") }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = Path.Combine(_home, "no-config");
        start.Environment["HOME"] = _home;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_home, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
