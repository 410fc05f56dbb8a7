using System.Net;
using System.Net.Sockets;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Docs;

/// <summary>docs/install.md's load comes from bench/Platform.LoadGen with options it knows.</summary>
public sealed class InstallGuideLoadTests
{
    [Fact]
    public async Task The_load_generator_accepts_the_guides_options_and_targets_the_port_forward()
    {
        var runs = InstallGuide.Of("dotnet", "run").ToList();
        Assert.Contains(runs, r => r.Option("--project") == "bench/Platform.LoadGen");
        foreach (var run in runs)
        {
            var arguments = run.Words.SkipWhile(w => w != "--").Skip(1).ToList();
            var url = arguments.IndexOf("--url") is var at and >= 0 ? arguments[at + 1] : "http://127.0.0.1:8080";
            Assert.Equal("http://127.0.0.1:8080", url);

            // The same options against a port nobody listens on: loadgen reads them all, then
            // finds no server (exit 1); an option it does not know is a usage error (exit 2).
            var closed = ClosedPort();
            var replaced = arguments.Select((w, i) => i > 0 && arguments[i - 1] == "--url" ? $"http://127.0.0.1:{closed}" : w).ToList();
            var result = await ProcessRunner.RunAsync("dotnet",
                [Path.Combine(AppContext.BaseDirectory, "loadgen.dll"), .. replaced, "--ready-timeout", "1s"],
                RepositoryRoot.Path, TimeSpan.FromSeconds(60));
            Assert.True(result.ExitCode == 1 && result.StandardError.Contains("is not ready", StringComparison.Ordinal),
                result.Describe($"loadgen {string.Join(' ', replaced)} (from: {run})"));
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
