using System.Diagnostics;
using System.Globalization;
using System.Net;
using Platform.Contracts;

namespace Platform.Operator.EnvTests.Support;

/// <summary>
/// Real inference-pod processes (the built Platform.InferencePod.dll), each on its own loopback
/// address at the pod port the operator's template declares, so the operator's scraper, which
/// reads a pod's IP from its status, reaches the process standing behind that Pod.
/// </summary>
internal sealed class PodServers : IAsyncDisposable
{
    private readonly List<(string Ip, Process Process)> _servers = [];

    private PodServers()
    {
    }

    public IReadOnlyList<string> Addresses => _servers.Select(s => s.Ip).ToList();

    /// <summary>Starts <paramref name="count"/> pods on 127.X.Y.10.. (X, Y from this process's id, so parallel runs do not collide).</summary>
    public static async Task<PodServers> StartAsync(int count, params string[] arguments)
    {
        var servers = new PodServers();
        var block = Environment.ProcessId % 50_000;
        for (var i = 0; i < count; i++)
        {
            var ip = string.Create(CultureInfo.InvariantCulture, $"127.{100 + block / 250}.{block % 250}.{10 + i}");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Platform.InferencePod.dll"));
            info.ArgumentList.Add($"--urls=http://{ip}:{PodSettings.DefaultHttpPort}");
            info.ArgumentList.Add("--Server:GrpcPort=0");
            foreach (var argument in arguments) info.ArgumentList.Add(argument);
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            servers._servers.Add((ip, process));
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var (ip, process) in servers._servers)
        {
            await Eventually.HoldsAsync($"pod on {ip} ready", async () =>
            {
                if (process.HasExited) throw new InvalidOperationException($"the pod on {ip} exited with {process.ExitCode}");
                try
                {
                    return (await http.GetAsync($"http://{ip}:{PodSettings.DefaultHttpPort}/v2/health/ready")).StatusCode == HttpStatusCode.OK;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(90));
        }
        return servers;
    }

    public static Uri Url(string ip) => new($"http://{ip}:{PodSettings.DefaultHttpPort}");

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in _servers)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
    }
}
