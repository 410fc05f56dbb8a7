namespace Platform.LoadGen;

/// <summary>A run cannot go on (server unreachable, model unsuitable, bad answer); the message says why.</summary>
internal sealed class LoadGenException(string message, Exception? inner = null) : Exception(message, inner);
