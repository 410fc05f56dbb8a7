using k8s;
using k8s.Models;
using Platform.Contracts;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class DesiredStateBuilderTests
{
    [Fact]
    public void All_objects_are_named_after_the_service_labelled_and_owned_by_it()
    {
        var state = TestServices.Build(TestServices.Pvc());

        foreach (var metadata in new[] { state.Deployment.Metadata, state.Service.Metadata, state.PodDisruptionBudget.Metadata })
        {
            Assert.Equal("resnet", metadata.Name);
            Assert.Equal("ml", metadata.NamespaceProperty);
            Assert.Equal("platform-inference", metadata.Labels["app.kubernetes.io/name"]);
            Assert.Equal("resnet", metadata.Labels["app.kubernetes.io/instance"]);
            Assert.Equal("model-server", metadata.Labels["app.kubernetes.io/component"]);
            Assert.Equal("platform-operator", metadata.Labels["app.kubernetes.io/managed-by"]);
            Assert.Equal("resnet", metadata.Labels["serving.platform.dev/inferenceservice"]);
            var owner = Assert.Single(metadata.OwnerReferences);
            Assert.Equal(("serving.platform.dev/v1alpha1", "InferenceService", "resnet", "5f0c7c1e-1111-4a2b-9c3d-000000000001"), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
            Assert.True(owner.Controller);
            Assert.True(owner.BlockOwnerDeletion);
            Assert.Matches("^[0-9a-f]{64}$", metadata.Annotations[ResourceLabels.DesiredHashAnnotation]);
        }
        Assert.Equal(("apps/v1", "Deployment"), (state.Deployment.ApiVersion, state.Deployment.Kind));
        Assert.Equal(("v1", "Service"), (state.Service.ApiVersion, state.Service.Kind));
        Assert.Equal(("policy/v1", "PodDisruptionBudget"), (state.PodDisruptionBudget.ApiVersion, state.PodDisruptionBudget.Kind));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void Deployment_takes_the_given_replicas_and_never_drops_capacity_while_rolling(int replicas)
    {
        var deployment = TestServices.Build(TestServices.Pvc(), replicas).Deployment;

        Assert.Equal(replicas, deployment.Spec.Replicas);
        Assert.Equal(new Dictionary<string, string> { ["serving.platform.dev/inferenceservice"] = "resnet" }, deployment.Spec.Selector.MatchLabels);
        Assert.Equal(3, deployment.Spec.RevisionHistoryLimit);
        Assert.Equal(900, deployment.Spec.ProgressDeadlineSeconds);
        var json = KubernetesJson.Serialize(deployment.Spec.Strategy);
        Assert.Equal("""{"rollingUpdate":{"maxSurge":1,"maxUnavailable":0},"type":"RollingUpdate"}""", json);
        Assert.Equal("resnet", deployment.Spec.Template.Metadata.Labels["serving.platform.dev/inferenceservice"]);
    }

    [Fact]
    public void Negative_replicas_or_a_service_without_uid_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TestServices.Build(TestServices.Pvc(), -1));
        var noUid = TestServices.Pvc();
        noUid.Metadata.Uid = null;
        Assert.Throws<ArgumentException>(() => TestServices.Build(noUid));
    }

    [Fact]
    public void Pod_runs_the_default_image_unless_the_spec_names_one()
    {
        Assert.Equal(TestServices.DefaultImage, TestServices.Container(TestServices.Build(TestServices.Pvc())).Image);
        Assert.Null(TestServices.Container(TestServices.Build(TestServices.Pvc())).ImagePullPolicy);

        var custom = TestServices.Container(TestServices.Build(TestServices.Pvc(s => { s.Image = "my/pod:2"; s.ImagePullPolicy = PullPolicy.Always; })));
        Assert.Equal("my/pod:2", custom.Image);
        Assert.Equal("Always", custom.ImagePullPolicy);
    }

    [Fact]
    public void Pvc_model_volume_is_mounted_read_only_at_the_model_path()
    {
        var state = TestServices.Build(TestServices.Pvc(s => s.Model.Source.Pvc!.SubPath = "vision"));
        var pod = state.Deployment.Spec.Template.Spec;
        var container = TestServices.Container(state);

        var volume = pod.Volumes.Single(v => v.Name == "model");
        Assert.Equal("models", volume.PersistentVolumeClaim.ClaimName);
        Assert.True(volume.PersistentVolumeClaim.ReadOnlyProperty);
        var mount = container.VolumeMounts.Single(m => m.Name == "model");
        Assert.Equal("/models", mount.MountPath);
        Assert.Equal("vision", mount.SubPath);
        Assert.True(mount.ReadOnlyProperty);
        Assert.Equal("/models/resnet50/model.onnx", TestServices.Env(container)[PodSettings.EnvVar(PodSettings.ModelPath)]);
    }

    [Fact]
    public void Image_model_volume_is_an_image_volume_mounted_read_only()
    {
        var state = TestServices.Build(TestServices.Image());

        var volume = state.Deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == "model");
        Assert.Null(volume.PersistentVolumeClaim);
        Assert.Equal("registry.example.com/models/resnet:1", volume.Image.Reference);
        Assert.Equal("IfNotPresent", volume.Image.PullPolicy);
        var mount = TestServices.Container(state).VolumeMounts.Single(m => m.Name == "model");
        Assert.True(mount.ReadOnlyProperty);
        Assert.Null(mount.SubPath);
    }

    [Fact]
    public void Pod_is_locked_down_with_a_writable_tmp()
    {
        var state = TestServices.Build(TestServices.Pvc());
        var pod = state.Deployment.Spec.Template.Spec;
        var container = TestServices.Container(state);

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(65532, pod.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.False(pod.EnableServiceLinks);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.True(container.SecurityContext.RunAsNonRoot);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("RuntimeDefault", container.SecurityContext.SeccompProfile.Type);
        Assert.NotNull(pod.Volumes.Single(v => v.Name == "tmp").EmptyDir);
        Assert.Equal("/tmp", container.VolumeMounts.Single(m => m.Name == "tmp").MountPath);
        Assert.False(container.VolumeMounts.Single(m => m.Name == "tmp").ReadOnlyProperty ?? false);
    }

    [Fact]
    public void Probes_use_the_warmup_gated_ready_path_and_the_live_path_on_the_named_port()
    {
        var container = TestServices.Container(TestServices.Build(TestServices.Pvc()));

        Assert.Equal(InferenceProtocol.ReadyPath, container.StartupProbe.HttpGet.Path);
        Assert.Equal(InferenceProtocol.ReadyPath, container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(InferenceProtocol.LivePath, container.LivenessProbe.HttpGet.Path);
        Assert.All(new[] { container.StartupProbe, container.ReadinessProbe, container.LivenessProbe }, p => Assert.Equal("http", p.HttpGet.Port.Value));
        // The startup budget (600 s by default) is what the startup probe allows.
        Assert.Equal(600, container.StartupProbe.PeriodSeconds * container.StartupProbe.FailureThreshold);
        Assert.Equal(
            [("http", PodSettings.DefaultHttpPort, "TCP"), ("grpc", PodSettings.DefaultGrpcPort, "TCP")],
            container.Ports.Select(p => (p.Name, p.ContainerPort, p.Protocol)));
    }

    [Fact]
    public void The_grpc_container_port_is_the_one_the_pod_is_told_to_listen_on()
    {
        var container = TestServices.Container(TestServices.Build(TestServices.Pvc()));

        var grpc = Assert.Single(container.Ports, p => p.Name == PodTemplateBuilder.GrpcPortName);
        Assert.Equal(grpc.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), TestServices.Env(container)["Server__GrpcPort"]);
        Assert.Equal(8081, grpc.ContainerPort);
    }

    [Theory]
    [InlineData(30, 40)]
    [InlineData(0, 10)]
    [InlineData(120, 130)]
    public void Grace_period_covers_the_pre_stop_sleep_the_drain_and_a_margin(int drainSeconds, long expectedGrace)
    {
        var state = TestServices.Build(TestServices.Pvc(s => s.Serving.DrainTimeoutSeconds = drainSeconds));
        var pod = state.Deployment.Spec.Template.Spec;

        Assert.Equal(expectedGrace, pod.TerminationGracePeriodSeconds);
        Assert.Equal(5, TestServices.Container(state).Lifecycle.PreStop.Sleep.Seconds);
        Assert.Equal(drainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            TestServices.Env(TestServices.Container(state))[PodSettings.EnvVar(PodSettings.ServerDrainTimeoutSeconds)]);
    }

    [Fact]
    public void Without_a_pre_stop_sleep_there_is_no_hook()
    {
        var state = DesiredStateBuilder.Build(TestServices.Pvc(), TestServices.Settings with { PreStopSleepSeconds = 0 }, 1, ClusterCapabilities.Newest);

        Assert.Null(TestServices.Container(state).Lifecycle);
        Assert.Equal(35, state.Deployment.Spec.Template.Spec.TerminationGracePeriodSeconds);
    }

    [Fact]
    public void Pods_are_annotated_for_prometheus_scraping()
    {
        var annotations = TestServices.Build(TestServices.Pvc()).Deployment.Spec.Template.Metadata.Annotations;

        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal("8080", annotations["prometheus.io/port"]);
        Assert.Equal(Platform.Contracts.PodMetrics.Path, annotations["prometheus.io/path"]);
    }

    [Fact]
    public void Cpu_and_memory_are_request_and_limit_and_gpus_a_limit()
    {
        var container = TestServices.Container(TestServices.Build(TestServices.Pvc(s =>
        {
            s.Resources.Cpu = new ResourceQuantity("4");
            s.Resources.Memory = new ResourceQuantity("8Gi");
            s.Resources.Gpu = 2;
        })));

        Assert.Equal("""{"limits":{"cpu":"4","memory":"8Gi","nvidia.com/gpu":"2"},"requests":{"cpu":"4","memory":"8Gi"}}""",
            KubernetesJson.Serialize(container.Resources));
    }

    [Fact]
    public void No_resources_in_the_spec_means_none_on_the_container()
    {
        Assert.Null(TestServices.Container(TestServices.Build(TestServices.Pvc())).Resources);
    }

    [Fact]
    public void Gpu_pods_tolerate_the_gpu_taint_and_keep_the_users_scheduling_constraints()
    {
        var affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity() };
        var pod = TestServices.Build(TestServices.Pvc(s =>
        {
            s.Resources.Gpu = 1;
            s.NodeSelector = new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "H100" };
            s.Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "ml", Effect = "NoSchedule" }];
            s.Affinity = affinity;
        })).Deployment.Spec.Template.Spec;

        Assert.Equal(["dedicated", "nvidia.com/gpu"], pod.Tolerations.Select(t => t.Key));
        Assert.Equal(("Exists", "NoSchedule"), (pod.Tolerations[1].OperatorProperty, pod.Tolerations[1].Effect));
        Assert.Equal("H100", pod.NodeSelector["nvidia.com/gpu.product"]);
        Assert.Same(affinity, pod.Affinity);
    }

    [Theory]
    [InlineData("nvidia.com/gpu", "Equal", 1)]
    [InlineData(null, "Exists", 1)]
    public void A_user_toleration_covering_the_gpu_taint_is_not_duplicated(string? key, string op, int expectedCount)
    {
        var pod = TestServices.Build(TestServices.Pvc(s =>
        {
            s.Resources.Gpu = 1;
            s.Tolerations = [new V1Toleration { Key = key, OperatorProperty = op, Value = op == "Equal" ? "present" : null }];
        })).Deployment.Spec.Template.Spec;

        Assert.Equal(expectedCount, pod.Tolerations.Count);
    }

    [Fact]
    public void Cpu_pods_get_no_gpu_toleration()
    {
        Assert.Null(TestServices.Build(TestServices.Pvc()).Deployment.Spec.Template.Spec.Tolerations);
    }

    [Fact]
    public void Service_maps_port_80_to_the_pods_http_port_and_8081_to_its_grpc_port()
    {
        var service = TestServices.Build(TestServices.Pvc()).Service;

        Assert.Equal("ClusterIP", service.Spec.Type);
        Assert.Equal(ResourceLabels.Selector("resnet"), service.Spec.Selector);
        Assert.Equal(
            [("http", 80, "http", "TCP", "http"), ("grpc", 8081, "grpc", "TCP", "kubernetes.io/h2c")],
            service.Spec.Ports.Select(p => (p.Name, p.Port, p.TargetPort.Value, p.Protocol, p.AppProtocol)));
    }

    [Fact]
    public void Every_service_port_targets_a_named_port_of_the_container()
    {
        var state = TestServices.Build(TestServices.Pvc());

        var containerPorts = TestServices.Container(state).Ports.Select(p => p.Name).ToHashSet();
        Assert.All(state.Service.Spec.Ports, p => Assert.Contains(p.TargetPort.Value, containerPorts));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Disruption_budget_allows_one_replica_down_at_any_scale(int replicas)
    {
        var budget = TestServices.Build(TestServices.Pvc(), replicas).PodDisruptionBudget;

        Assert.Equal("""{"maxUnavailable":1,"selector":{"matchLabels":{"serving.platform.dev/inferenceservice":"resnet"}},"unhealthyPodEvictionPolicy":"AlwaysAllow"}""",
            KubernetesJson.Serialize(budget.Spec));
    }

    [Fact]
    public void Same_input_gives_same_objects_and_a_spec_change_touches_only_the_deployment_hash()
    {
        var first = TestServices.Build(TestServices.Pvc());
        var again = TestServices.Build(TestServices.Pvc());
        var changed = TestServices.Build(TestServices.Pvc(s => s.Serving.MaxBatchSize = 16));

        Assert.Equal(KubernetesJson.Serialize(first.Deployment), KubernetesJson.Serialize(again.Deployment));
        Assert.NotEqual(DesiredHash.Of(first.Deployment), DesiredHash.Of(changed.Deployment));
        Assert.Equal(DesiredHash.Of(first.Service), DesiredHash.Of(changed.Service));
        Assert.Equal(DesiredHash.Of(first.PodDisruptionBudget), DesiredHash.Of(changed.PodDisruptionBudget));
    }
}
