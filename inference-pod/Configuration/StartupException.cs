namespace Platform.InferencePod.Configuration;

/// <summary>
/// A start-up failure the operator of the pod can fix; its message is the one line printed.
/// <see cref="Reason"/> (one of <see cref="Platform.Contracts.PodExitReasons"/>) marks a failure
/// the InferenceService's status names on its own.
/// </summary>
public sealed class StartupException(string message, Exception? inner = null, string? reason = null) : Exception(message, inner)
{
    public string? Reason { get; } = reason;
}
