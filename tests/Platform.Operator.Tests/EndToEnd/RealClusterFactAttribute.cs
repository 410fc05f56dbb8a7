namespace Platform.Operator.Tests.EndToEnd;

/// <summary>
/// A fact run against a real cluster: the kubeconfig named by PLATFORM_E2E_KUBECONFIG, whose
/// current context may create CRDs and namespaces. Without one the test skips with the reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RealClusterFactAttribute : FactAttribute
{
    public const string Variable = "PLATFORM_E2E_KUBECONFIG";

    public static string? Kubeconfig => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : null;

    public RealClusterFactAttribute()
    {
        if (Kubeconfig is null)
            Skip = $"no real cluster: set {Variable} to a kubeconfig whose current context may create CRDs and namespaces";
        else if (!File.Exists(Kubeconfig))
            Skip = $"{Variable} names {Kubeconfig}, which does not exist";
    }
}
