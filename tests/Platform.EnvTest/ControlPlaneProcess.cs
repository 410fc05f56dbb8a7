using System.Diagnostics;

namespace Platform.EnvTest;

/// <summary>
/// One program of the control plane: started with an argument list (no shell), its output kept
/// (the last lines, for start-up failures), stopped by its process id with its whole tree.
/// </summary>
public sealed class ControlPlaneProcess : IDisposable
{
    private const int KeptLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private ControlPlaneProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ControlPlaneProcess Start(string name, string program, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info };
        var started = new ControlPlaneProcess(name, process);
        process.OutputDataReceived += (_, e) => started.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>The last lines the program wrote, with its exit code when it has exited.</summary>
    public string Describe()
    {
        string[] lines;
        lock (_tail) lines = [.. _tail];
        var state = _process.HasExited ? $"exited with {_process.ExitCode}" : $"running as pid {_process.Id}";
        return $"--- {Name} ({state}), last {lines.Length} lines ---\n{string.Join('\n', lines)}";
    }

    /// <summary>Kills the process and its children by id and waits for them to be gone.</summary>
    public void Stop()
    {
        try
        {
            using var byId = Process.GetProcessById(_process.Id);
            byId.Kill(entireProcessTree: true);
            byId.WaitForExit(10_000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > KeptLines) _tail.Dequeue();
        }
    }
}
