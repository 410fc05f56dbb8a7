using Platform.EnvTest;

namespace Platform.Operator.EnvTests.Support;

/// <summary>A fact that runs the operator on the control plane under the chart's RBAC: skips without assets, kubectl or helm.</summary>
public sealed class OperatorEnvTestFactAttribute : FactAttribute
{
    public OperatorEnvTestFactAttribute()
    {
        if (EnvTestAssets.MissingReason is { } reason) Skip = reason;
        else if (Kubectl.Path is null) Skip = "kubectl is not on PATH.";
        else if (HelmChart.Binary is null) Skip = "helm was not found at .tools/helm/helm or on PATH; tools/test fetches it.";
    }
}
