using k8s.Models;
using Microsoft.Extensions.Configuration;
using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;

namespace Platform.Contracts.Tests;

/// <summary>The environment the operator gives a pod is the configuration the pod reads, value for value.</summary>
public sealed class PodEnvironmentContractTests
{
    private static readonly string ModelFile = Path.Combine(AppContext.BaseDirectory, "models", "mlp.onnx");

    [Fact]
    public void Every_serving_setting_the_operator_sets_binds_to_the_pod_option_it_means()
    {
        var service = new InferenceService
        {
            Metadata = new V1ObjectMeta { Name = "classifier", NamespaceProperty = "ml", Uid = "u-1", Generation = 1 },
            Spec = new InferenceServiceSpec
            {
                Model = new ModelSpec { Name = "mlp", Version = "4", Path = "mlp.onnx", Source = new ModelSource { Pvc = new PvcModelSource { ClaimName = "models" } } },
                Resources = new ResourcesSpec { Cpu = "4" },
                Serving = new ServingSpec
                {
                    MaxBatchSize = 16, MaxQueueDelayMs = 7, QueueCapacity = 300, TimeoutMs = 1500, Instances = 2,
                    WarmupBatchSizes = [1, 4, 16], DrainTimeoutSeconds = 45, PriorityLevels = 3,
                },
            },
        };
        var env = PodEnvironment.Build(service, new ReconcileSettings { DefaultImage = "pod:1" });

        // The pod's configuration sees environment variables with "__" as ":" (the standard .NET provider).
        var settings = env.Where(e => e.Name.Contains("__", StringComparison.Ordinal))
            .ToDictionary(e => e.Name.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);
        Assert.Equal("/models/mlp.onnx", settings[PodSettings.ModelPath]);
        settings[PodSettings.ModelPath] = ModelFile; // the mount does not exist here; everything else is as rendered
        var options = PodOptions.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        Assert.Equal("mlp", options.Model.ResolvedName);
        Assert.Equal("4", options.Model.Version);
        Assert.Equal(2, options.Model.Instances);
        Assert.Equal(2, options.Model.IntraOpThreads);
        Assert.Equal(PodSettings.ExecutionProviders.Cpu, options.Model.ExecutionProvider);
        Assert.Equal(16, options.Batching.MaxBatchSize);
        Assert.Equal(7, options.Batching.MaxQueueDelayMs);
        Assert.Equal(300, options.Queue.Capacity);
        Assert.Equal(1500, options.Queue.DefaultTimeoutMs);
        Assert.Equal(3, options.Queue.PriorityLevels);
        Assert.Equal([1, 4, 16], options.Warmup.ResolveBatchSizes(options.Batching.MaxBatchSize));
        Assert.Equal(45, options.Server.DrainTimeoutSeconds);
        Assert.Equal(PodSettings.DefaultHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            env.Single(e => e.Name == PodSettings.HttpPortsEnvVar).Value);
    }
}
