using k8s;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Tests.Api;

public sealed class InferenceServiceSerializationTests
{
    [Fact]
    public void A_manifest_reads_into_the_types_with_enum_and_quantity_values()
    {
        var service = KubernetesJson.Deserialize<InferenceService>(YamlJson.Parse(SampleObjects.GpuService)!.ToJsonString());

        Assert.Equal("resnet", service.Metadata.Name);
        Assert.Equal("resnet50", service.Spec.Model.Name);
        Assert.Equal("models", service.Spec.Model.Source.Pvc!.ClaimName);
        Assert.Equal("vision", service.Spec.Model.Source.Pvc.SubPath);
        Assert.Null(service.Spec.Model.Source.Image);
        Assert.Equal(4m, service.Spec.Resources.Cpu!.ToDecimal());
        Assert.Equal(8m * 1024 * 1024 * 1024, service.Spec.Resources.Memory!.ToDecimal());
        Assert.Equal(1, service.Spec.Resources.Gpu);
        Assert.Equal([1, 8, 32], service.Spec.Serving.WarmupBatchSizes!);
        Assert.Equal(32, service.Spec.Serving.MaxBatchSize);
        Assert.Equal(256, service.Spec.Serving.QueueCapacity); // omitted: the type's default
        Assert.Equal(AutoscalingMode.Builtin, service.Spec.Autoscaling.Mode);
        Assert.Equal(120, service.Spec.Autoscaling.ScaleDown.StabilizationWindowSeconds);
        Assert.Equal(0, service.Spec.Autoscaling.ScaleUp.StabilizationWindowSeconds);
        Assert.Equal("kubernetes.io/hostname", service.Spec.Affinity!.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution[0].PodAffinityTerm.TopologyKey);
        Assert.Equal("metadata.name", service.Spec.Env![1].ValueFrom.FieldRef.FieldPath);
    }

    [Fact]
    public void Enums_are_written_with_their_api_names()
    {
        var service = new InferenceService();
        service.Spec.Serving.ExecutionProvider = ExecutionProvider.Cuda;
        service.Spec.ImagePullPolicy = PullPolicy.IfNotPresent;
        service.Spec.Autoscaling.Mode = AutoscalingMode.Off;

        var json = KubernetesJson.Serialize(service);

        Assert.Contains("\"executionProvider\":\"cuda\"", json, StringComparison.Ordinal);
        Assert.Contains("\"imagePullPolicy\":\"IfNotPresent\"", json, StringComparison.Ordinal);
        Assert.Contains("\"mode\":\"Off\"", json, StringComparison.Ordinal);
        Assert.Contains("\"apiVersion\":\"serving.platform.dev/v1alpha1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"InferenceService\"", json, StringComparison.Ordinal);
    }
}
