namespace Platform.InferencePod.Configuration;

/// <summary>A start-up failure the operator of the pod can fix; its message is the one line printed.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
