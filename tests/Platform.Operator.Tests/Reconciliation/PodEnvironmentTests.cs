using k8s.Models;
using Platform.Contracts;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class PodEnvironmentTests
{
    [Fact]
    public void Every_setting_of_the_spec_reaches_the_pod_under_its_contract_name()
    {
        var service = TestServices.Pvc(s =>
        {
            s.Model.Name = "resnet50";
            s.Model.Version = "7";
            s.Serving = new ServingSpec
            {
                MaxBatchSize = 32,
                MaxQueueDelayMs = 5,
                QueueCapacity = 500,
                TimeoutMs = 2000,
                Instances = 2,
                WarmupBatchSizes = [1, 8, 32],
                DrainTimeoutSeconds = 45,
                PriorityLevels = 3,
            };
        });

        var env = TestServices.Env(new V1Container { Env = PodEnvironment.Build(service, TestServices.Settings) });

        var expected = new Dictionary<string, string>
        {
            [PodSettings.HttpPortsEnvVar] = "8080",
            [PodSettings.EnvVar(PodSettings.ModelPath)] = "/models/resnet50/model.onnx",
            [PodSettings.EnvVar(PodSettings.ModelName)] = "resnet50",
            [PodSettings.EnvVar(PodSettings.ModelVersion)] = "7",
            [PodSettings.EnvVar(PodSettings.ModelInstances)] = "2",
            [PodSettings.EnvVar(PodSettings.ModelExecutionProvider)] = "cpu",
            [PodSettings.EnvVar(PodSettings.BatchingMaxBatchSize)] = "32",
            [PodSettings.EnvVar(PodSettings.BatchingMaxQueueDelayMs)] = "5",
            [PodSettings.EnvVar(PodSettings.QueueCapacity)] = "500",
            [PodSettings.EnvVar(PodSettings.QueueDefaultTimeoutMs)] = "2000",
            [PodSettings.EnvVar(PodSettings.QueuePriorityLevels)] = "3",
            ["Warmup__BatchSizes"] = "1,8,32",
            [PodSettings.EnvVar(PodSettings.ServerDrainTimeoutSeconds)] = "45",
            [PodSettings.EnvVar(PodSettings.ServerGrpcPort)] = "8081",
        };
        Assert.Equal(expected.OrderBy(p => p.Key), env.OrderBy(p => p.Key));
    }

    [Fact]
    public void Model_name_defaults_to_the_resource_name_and_optional_settings_are_left_to_the_pod()
    {
        var env = TestServices.Env(new V1Container { Env = PodEnvironment.Build(TestServices.Pvc(), TestServices.Settings) });

        Assert.Equal("resnet", env["Model__Name"]);
        Assert.Equal("8", env["Batching__MaxBatchSize"]);
        Assert.DoesNotContain("Model__Version", env.Keys);
        Assert.DoesNotContain("Model__IntraOpThreads", env.Keys);
        Assert.DoesNotContain("Model__Instances", env.Keys);
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("Warmup__", StringComparison.Ordinal));
        foreach (var section in (string[])["RateLimits__", "Cache__", "Jobs__", "Preprocessing__", "Postprocessing__", "Gpu__"])
        {
            Assert.DoesNotContain(env.Keys, k => k.StartsWith(section, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(0, null, "cpu")]
    [InlineData(1, null, "cuda")]
    [InlineData(2, ExecutionProvider.Cpu, "cpu")]
    [InlineData(1, ExecutionProvider.Cuda, "cuda")]
    public void Execution_provider_follows_the_gpus_unless_set(int gpus, ExecutionProvider? provider, string expected)
    {
        var service = TestServices.Pvc(s => { s.Resources.Gpu = gpus; s.Serving.ExecutionProvider = provider; });

        Assert.Equal(expected, TestServices.Env(new V1Container { Env = PodEnvironment.Build(service, TestServices.Settings) })["Model__ExecutionProvider"]);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("4", null)]
    [InlineData("4", 2)]
    [InlineData(null, 3)]
    [InlineData("500m", 1)]
    public void Instances_reach_the_pod_only_when_set_and_threads_are_left_to_its_cpu_quota(string? cpu, int? instances)
    {
        var service = TestServices.Pvc(s =>
        {
            s.Resources.Cpu = cpu is null ? null : new ResourceQuantity(cpu);
            s.Serving.Instances = instances;
        });

        var env = TestServices.Env(new V1Container { Env = PodEnvironment.Build(service, TestServices.Settings) });

        Assert.DoesNotContain("Model__IntraOpThreads", env.Keys);
        Assert.Equal(instances?.ToString(System.Globalization.CultureInfo.InvariantCulture), env.GetValueOrDefault("Model__Instances"));
    }

    [Fact]
    public void User_variables_follow_the_operators_and_cannot_override_them()
    {
        var service = TestServices.Pvc(s =>
        {
            s.Resources.Cpu = new ResourceQuantity("2");
            s.Serving.Instances = 2;
            s.Serving.WarmupBatchSizes = [1];
            s.Env =
            [
                new V1EnvVar { Name = "Server__MaxRequestBodyBytes", Value = "1000" },
                new V1EnvVar { Name = "Model__Path", Value = "/elsewhere.onnx" },
                new V1EnvVar { Name = "model__maxbatchsize", Value = "1" },
                new V1EnvVar { Name = "Batching__MaxBatchSize", Value = "1" },
                new V1EnvVar { Name = "Model:Instances", Value = "9" },
                new V1EnvVar { Name = "ASPNETCORE_URLS", Value = "http://+:9000" },
                new V1EnvVar { Name = "ASPNETCORE_HTTP_PORTS", Value = "9000" },
                new V1EnvVar { Name = "Warmup__BatchSizes__5", Value = "64" },
                new V1EnvVar { Name = "Model__IntraOpThreads", Value = "64" },
                new V1EnvVar { Name = "Warmup__Iterations", Value = "3" },
                new V1EnvVar { Name = "DOTNET_Server__GrpcPort", Value = "9001" },
                new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            ];
        });

        var env = PodEnvironment.Build(service, TestServices.Settings);

        var user = env.SkipWhile(e => e.Name != "Server__MaxRequestBodyBytes").Select(e => e.Name).ToList();
        Assert.Equal(["Server__MaxRequestBodyBytes", "model__maxbatchsize", "Model__IntraOpThreads", "Warmup__Iterations", "POD_NAME"], user);
        Assert.Equal("/models/resnet50/model.onnx", env.Single(e => e.Name == "Model__Path").Value);
        Assert.Single(env, e => e.Name == "Batching__MaxBatchSize");
        Assert.Equal(["Model__Path", "Batching__MaxBatchSize", "Model:Instances", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "Warmup__BatchSizes__5", "DOTNET_Server__GrpcPort"],
            PodEnvironment.OverriddenUserVariables(service.Spec));
    }

    [Fact]
    public void Settings_the_operator_leaves_unset_stay_open_to_the_user()
    {
        // With the CPU limit set the pod still picks its own threads, so spec.env may choose them.
        var service = TestServices.Pvc(s =>
        {
            s.Resources.Cpu = new ResourceQuantity("4");
            s.Env =
            [
                new V1EnvVar { Name = "Warmup__BatchSizes__0", Value = "4" },
                new V1EnvVar { Name = "Model__IntraOpThreads", Value = "3" },
                new V1EnvVar { Name = "Model__Instances", Value = "2" },
            ];
        });

        var env = TestServices.Env(new V1Container { Env = PodEnvironment.Build(service, TestServices.Settings) });

        Assert.Equal("4", env["Warmup__BatchSizes__0"]);
        Assert.Equal("3", env["Model__IntraOpThreads"]);
        Assert.Equal("2", env["Model__Instances"]);
        Assert.Empty(PodEnvironment.OverriddenUserVariables(service.Spec));
    }
}
