using Platform.Contracts;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>The values that apply when optional spec fields are omitted, in one place.</summary>
public static class EffectiveSpec
{
    /// <summary>spec.model.name, or metadata.name when omitted.</summary>
    public static string ModelName(InferenceService service) =>
        string.IsNullOrEmpty(service.Spec.Model.Name) ? service.Metadata.Name : service.Spec.Model.Name;

    /// <summary>spec.serving.executionProvider, or cuda with GPUs and cpu without.</summary>
    public static ExecutionProvider ExecutionProvider(InferenceServiceSpec spec) =>
        spec.Serving.ExecutionProvider ?? (spec.Resources.Gpu > 0 ? Api.V1Alpha1.ExecutionProvider.Cuda : Api.V1Alpha1.ExecutionProvider.Cpu);

    /// <summary>The pod setting value of an execution provider.</summary>
    public static string PodSettingValue(ExecutionProvider provider) => provider switch
    {
        Api.V1Alpha1.ExecutionProvider.Cuda => PodSettings.ExecutionProviders.Cuda,
        _ => PodSettings.ExecutionProviders.Cpu,
    };

    /// <summary>http://name.namespace.svc.domain:80/v2/models/model: the model's endpoint root inside the cluster.</summary>
    public static string Url(InferenceService service, string clusterDomain) =>
        $"http://{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc.{clusterDomain}:{DesiredStateBuilder.ServicePort}/v2/models/{ModelName(service)}";

    /// <summary>name.namespace.svc.domain:8081: the gRPC target of the Service's grpc port.</summary>
    public static string GrpcAddress(InferenceService service, string clusterDomain) =>
        $"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc.{clusterDomain}:{DesiredStateBuilder.GrpcServicePort}";
}
