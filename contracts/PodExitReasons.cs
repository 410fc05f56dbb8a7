namespace Platform.Contracts;

/// <summary>
/// Reasons the pod gives when it stops at start-up. The pod writes "Reason: message" to its
/// termination message file (Kubernetes' /dev/termination-log); the operator's pod diagnosis
/// reads the reason back and reports it in the InferenceService's status.
/// </summary>
public static class PodExitReasons
{
    /// <summary>Model:ExecutionProvider is cuda but the CUDA libraries or a device are missing.</summary>
    public const string GpuRuntimeUnavailable = "GpuRuntimeUnavailable";

    /// <summary>The termination message for a reason and its one-line message.</summary>
    public static string Format(string reason, string message) => $"{reason}: {message}";

    /// <summary>The reason a termination message starts with, when it is one of the pod's.</summary>
    public static bool TryParse(string? terminationMessage, out string reason, out string message)
    {
        reason = message = "";
        if (terminationMessage is null) return false;
        var text = terminationMessage.Trim();
        var prefix = GpuRuntimeUnavailable + ": ";
        if (!text.StartsWith(prefix, StringComparison.Ordinal)) return false;
        reason = GpuRuntimeUnavailable;
        message = text[prefix.Length..].Split('\n')[0].Trim();
        return true;
    }
}
