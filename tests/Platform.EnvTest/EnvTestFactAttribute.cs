namespace Platform.EnvTest;

/// <summary>A fact that needs the real control plane: skipped, with the reason and how to get the assets, when they are missing.</summary>
public sealed class EnvTestFactAttribute : FactAttribute
{
    public EnvTestFactAttribute()
    {
        if (EnvTestAssets.MissingReason is { } reason) Skip = reason;
    }
}

/// <summary>A theory that needs the real control plane; skipped like <see cref="EnvTestFactAttribute"/>.</summary>
public sealed class EnvTestTheoryAttribute : TheoryAttribute
{
    public EnvTestTheoryAttribute()
    {
        if (EnvTestAssets.MissingReason is { } reason) Skip = reason;
    }
}

/// <summary>A fact that needs kubectl on PATH besides the control plane.</summary>
public sealed class EnvTestKubectlFactAttribute : FactAttribute
{
    public EnvTestKubectlFactAttribute()
    {
        if (EnvTestAssets.MissingReason is { } reason) Skip = reason;
        else if (Kubectl.Path is null) Skip = "kubectl is not on PATH (any client within one minor version of the server, e.g. 1.27–1.29 for the 1.28 assets; newer ones work for apply and explain).";
    }
}

/// <summary>A theory that needs kubectl on PATH besides the control plane.</summary>
public sealed class EnvTestKubectlTheoryAttribute : TheoryAttribute
{
    public EnvTestKubectlTheoryAttribute()
    {
        if (EnvTestAssets.MissingReason is { } reason) Skip = reason;
        else if (Kubectl.Path is null) Skip = "kubectl is not on PATH.";
    }
}
