using Platform.Contracts;

namespace Platform.InferencePod.Hosting;

/// <summary>
/// Writes a start-up failure's line where Kubernetes reads the container's termination message,
/// so `kubectl describe pod` and the operator's status show it without the logs.
/// </summary>
public static class TerminationMessage
{
    public static void Write(string[] args, string line)
    {
        // Read apart from the pod's options: the failure may be in binding them.
        var configured = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build()[PodSettings.ServerTerminationMessagePath];
        var path = string.IsNullOrWhiteSpace(configured) ? PodSettings.DefaultTerminationMessagePath : configured;
        // The default path exists only in a container the kubelet started; elsewhere nothing is written.
        if (string.IsNullOrWhiteSpace(configured) && !File.Exists(path)) return;
        try
        {
            File.WriteAllText(path, line + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"inference-pod: could not write the termination message to {path}: {e.Message}");
        }
    }
}
