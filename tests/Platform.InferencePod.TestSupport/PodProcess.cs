using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Platform.InferencePod.RateLimiting;

namespace Platform.InferencePod.TestSupport;

/// <summary>The pod as a real process (the built Platform.InferencePod.dll), for signals and exit codes.</summary>
public sealed partial class PodProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private PodProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int Port { get; }
    public HttpClient Client { get; }
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public static PodProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <param name="environment">Variables set for the pod's process (e.g. DOTNET_PROCESSOR_COUNT, the CPUs .NET reports it may use).</param>
    public static PodProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Platform.InferencePod.dll"));
        info.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        // Several pods run side by side in tests: each gets a free gRPC port unless the test names one.
        info.ArgumentList.Add("--Server:GrpcPort=0");
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var process = new Process { StartInfo = info };
        var pod = new PodProcess(process, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (pod._stdout) pod._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (pod._stderr) pod._stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return pod;
    }

    /// <summary>
    /// Polls readiness until the pod is ready; the bound is a guard against a hung pod, not a
    /// performance check. Exiting or running past it fails with the pod's last output lines.
    /// </summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        var lastAnswer = "no answer yet";
        while (DateTime.UtcNow - started < timeout)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // flushes the redirected output
                throw new InvalidOperationException($"pod on port {Port} exited with {_process.ExitCode} before it was ready\n{OutputTail()}");
            }
            try
            {
                using var response = await Client.GetAsync("/v2/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
                lastAnswer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                lastAnswer = e.Message; // not listening yet
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"pod on port {Port} was not ready after {timeout.TotalSeconds:0} s (last /v2/health/ready: {lastAnswer})\n{OutputTail()}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"pod on port {Port} did not exit within {timeout.TotalSeconds:0} s\n{OutputTail()}");
        }
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>The last lines the pod wrote to stderr and stdout, for failure messages.</summary>
    public string OutputTail(int lines = 40) =>
        $"{OutputMarker} last {lines} lines of stderr ---\n{Tail(Stderr, lines)}\n" +
        $"{OutputMarker} last {lines} lines of stdout ---\n{Tail(Stdout, lines)}";

    private string OutputMarker => $"--- pod on port {Port}:";

    /// <summary>
    /// Runs <paramref name="body"/>; a failure in it comes back with each pod's last output lines,
    /// so that what the pods said is in the test's message.
    /// </summary>
    public static async Task ExplainingFailuresAsync(IEnumerable<PodProcess> pods, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception e) when (e is not PodOutputException)
        {
            // The failure itself follows as the inner exception; a pod whose output it already carries is not repeated.
            var tails = pods.Where(p => !e.Message.Contains(p.OutputMarker, StringComparison.Ordinal)).Select(p => p.OutputTail()).ToList();
            if (tails.Count == 0) throw;
            throw new PodOutputException($"{e.GetType().Name}: {e.Message.Split('\n')[0]}\n{string.Join('\n', tails)}", e);
        }
    }

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return all.Length == 0 ? "(nothing)" : string.Join('\n', all.TakeLast(lines));
    }

    public void SendSigterm()
    {
        if (Kill(_process.Id, 15) != 0) throw new InvalidOperationException("kill(SIGTERM) failed");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

/// <summary>A test failure that carries the pods' last output lines.</summary>
public sealed class PodOutputException(string message, Exception inner) : Exception(message, inner);
