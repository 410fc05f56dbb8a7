using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

/// <summary>InferenceServices as the API returns them (uid, generation, defaults filled in).</summary>
internal static class TestServices
{
    public const string DefaultImage = "registry.example.com/platform/inference-pod:1.0";

    public static ReconcileSettings Settings { get; } = new() { DefaultImage = DefaultImage };

    public static InferenceService Pvc(Action<InferenceServiceSpec>? change = null)
    {
        var service = new InferenceService
        {
            Metadata = new V1ObjectMeta
            {
                Name = "resnet",
                NamespaceProperty = "ml",
                Uid = "5f0c7c1e-1111-4a2b-9c3d-000000000001",
                Generation = 3,
            },
            Spec = new InferenceServiceSpec
            {
                Model = new ModelSpec
                {
                    Path = "resnet50/model.onnx",
                    Source = new ModelSource { Pvc = new PvcModelSource { ClaimName = "models" } },
                },
            },
        };
        change?.Invoke(service.Spec);
        return service;
    }

    public static InferenceService Image(Action<InferenceServiceSpec>? change = null) => Pvc(spec =>
    {
        spec.Model.Source = new ModelSource { Image = new ImageModelSource { Reference = "registry.example.com/models/resnet:1", PullPolicy = PullPolicy.IfNotPresent } };
        change?.Invoke(spec);
    });

    public static DesiredState Build(InferenceService service, int replicas = 2) =>
        DesiredStateBuilder.Build(service, Settings, replicas, ClusterCapabilities.Newest);

    public static V1Container Container(DesiredState state) => Assert.Single(state.Deployment.Spec.Template.Spec.Containers);

    public static Dictionary<string, string> Env(V1Container container) =>
        container.Env.ToDictionary(e => e.Name, e => e.Value);
}
