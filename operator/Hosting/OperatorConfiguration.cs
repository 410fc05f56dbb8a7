using k8s;
using Platform.Operator.Controller;
using Platform.Operator.Reconciliation;
using Platform.Operator.Runtime;

namespace Platform.Operator.Hosting;

/// <summary>
/// Every setting the operator starts with, read and validated once, before anything is
/// registered: a bad value stops start-up with one line naming it.
/// </summary>
public sealed record OperatorConfiguration(OperatorOptions Options, ReconcileSettings Settings, ControllerOptions Controller, KubernetesClientConfiguration KubernetesClient)
{
    public static OperatorConfiguration Read(IConfiguration configuration)
    {
        var options = new OperatorOptions();
        try
        {
            configuration.GetSection("Operator").Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new OperatorStartupException("invalid configuration: " + e.Message.Split('\n')[0]);
        }
        var errors = options.Validate();
        if (errors.Count > 0) throw new OperatorStartupException("invalid configuration: " + string.Join("; ", errors));
        var settings = new ReconcileSettings
        {
            DefaultImage = options.DefaultImage,
            ClusterDomain = options.ClusterDomain,
            PreStopSleepSeconds = options.PreStopSleepSeconds,
        };
        var settingsErrors = settings.Validate();
        if (settingsErrors.Count > 0) throw new OperatorStartupException("invalid configuration: " + string.Join("; ", settingsErrors));
        return new OperatorConfiguration(options, settings, new ControllerOptions(options.Workers, TimeSpan.FromSeconds(options.ResyncSeconds)), ClientConfiguration(configuration));
    }

    /// <summary>Kubernetes:Host (a plain URL, for local servers and tests), else --kubeconfig or KUBECONFIG, else in-cluster, else ~/.kube/config.</summary>
    private static KubernetesClientConfiguration ClientConfiguration(IConfiguration configuration)
    {
        try
        {
            if (configuration["Kubernetes:Host"] is { Length: > 0 } host) return new KubernetesClientConfiguration { Host = host };
            if ((configuration["kubeconfig"] ?? Environment.GetEnvironmentVariable("KUBECONFIG")) is { Length: > 0 } path)
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
            return KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile();
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or FileNotFoundException or IOException)
        {
            throw new OperatorStartupException($"no usable Kubernetes configuration (--kubeconfig, KUBECONFIG, in-cluster, or ~/.kube/config): {e.Message.Split('\n')[0]}");
        }
    }
}
