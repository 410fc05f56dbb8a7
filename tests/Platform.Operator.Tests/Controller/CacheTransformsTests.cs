using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Controller;

namespace Platform.Operator.Tests.Controller;

public sealed class CacheTransformsTests
{
    private static V1ObjectMeta Metadata() => new()
    {
        Name = "mlp",
        NamespaceProperty = "ml",
        Generation = 3,
        Labels = new Dictionary<string, string> { ["serving.platform.dev/inferenceservice"] = "mlp" },
        Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/last-applied-configuration"] = new string('x', 4096), ["prometheus.io/port"] = "8080" },
        ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl", Operation = "Apply" }],
    };

    [Fact]
    public void Every_kind_loses_managed_fields_and_the_last_applied_annotation_and_keeps_the_rest_of_its_metadata()
    {
        var service = CacheTransforms.For<InferenceService>()(new InferenceService { Metadata = Metadata(), Spec = new InferenceServiceSpec() });

        Assert.Null(service.Metadata.ManagedFields);
        Assert.Equal(["prometheus.io/port"], service.Metadata.Annotations.Keys);
        Assert.Equal(("mlp", "ml", 3L, "mlp"), (service.Metadata.Name, service.Metadata.NamespaceProperty, service.Metadata.Generation!.Value, service.Metadata.Labels["serving.platform.dev/inferenceservice"]));
        Assert.NotNull(service.Spec);
    }

    [Fact]
    public void A_deployment_keeps_replicas_and_status_but_not_its_pod_template()
    {
        var deployment = CacheTransforms.For<V1Deployment>()(new V1Deployment
        {
            Metadata = Metadata(),
            Spec = new V1DeploymentSpec { Replicas = 2, Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "server" }] } } },
            Status = new V1DeploymentStatus { ReadyReplicas = 1, ObservedGeneration = 3 },
        });

        Assert.Null(deployment.Metadata.ManagedFields);
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Null(deployment.Spec.Template);
        Assert.Equal((1, 3L), (deployment.Status.ReadyReplicas!.Value, deployment.Status.ObservedGeneration!.Value));
    }

    [Fact]
    public void A_pod_keeps_status_annotations_and_its_containers_limits_only()
    {
        var limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") };
        var pod = CacheTransforms.For<V1Pod>()(new V1Pod
        {
            Metadata = Metadata(),
            Spec = new V1PodSpec
            {
                NodeName = "node-1",
                Containers = [new V1Container { Name = "server", Image = "pod:1", Env = [new V1EnvVar { Name = "A", Value = "1" }], Resources = new V1ResourceRequirements { Limits = limits, Requests = limits } }],
                Volumes = [new V1Volume { Name = "model" }],
            },
            Status = new V1PodStatus { PodIP = "10.0.0.5", Phase = "Running" },
        });

        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal("server", container.Name);
        Assert.Same(limits, container.Resources.Limits);
        Assert.Null(container.Resources.Requests);
        Assert.Null(container.Env);
        Assert.Null(pod.Spec.Volumes);
        Assert.Equal("node-1", pod.Spec.NodeName);
        Assert.Equal("10.0.0.5", pod.Status.PodIP);
        Assert.Equal("8080", pod.Metadata.Annotations["prometheus.io/port"]);
    }
}
