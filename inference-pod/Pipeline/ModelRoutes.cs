using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Pipeline;

/// <summary>Whether a route's model name and version are the one this pod serves.</summary>
public static class ModelRoutes
{
    public static void EnsureServed(ModelMetadata model, string name, string? version)
    {
        if (!string.Equals(name, model.Name, StringComparison.Ordinal))
            throw InferenceError.NotFound($"unknown model '{name}'; this server serves '{model.Name}'");
        if (version is not null && !string.Equals(version, model.Version, StringComparison.Ordinal))
            throw InferenceError.NotFound($"model '{name}' has no version '{version}' (versions: {model.Version})");
    }
}
