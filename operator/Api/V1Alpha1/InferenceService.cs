using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

/// <summary>The custom resource a user writes to serve one ONNX model.</summary>
[KubernetesEntity(Group = GroupName, ApiVersion = Version, Kind = KindName, PluralName = Plural)]
[ResourceNames(Singular, ShortName, Categories = ["serving"])]
[StatusSubresource]
[ScaleSubresource(".spec.replicas", ".status.replicas", ".status.selector")]
[PrinterColumn(0, "Model", "string", ".status.modelName", Description = "Served model name")]
[PrinterColumn(1, "Ready", "integer", ".status.readyReplicas", Description = "Replicas ready to serve")]
[PrinterColumn(2, "Desired", "integer", ".status.desiredReplicas", Description = "Replicas the operator wants")]
[PrinterColumn(3, "Status", "string", ".status.conditions[?(@.type==\"Ready\")].status", Description = "Ready condition")]
[PrinterColumn(4, "Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Description = "Reason of the Ready condition", Priority = 1)]
[PrinterColumn(5, "URL", "string", ".status.url", Description = "Inference endpoint inside the cluster")]
[PrinterColumn(6, "Age", "date", ".metadata.creationTimestamp")]
[Description("InferenceService serves one ONNX model over the Open Inference Protocol (V2) from a Deployment of inference pods that the operator creates, scales and reports on.")]
[CelRule(
    "self.metadata.name.size() <= 63 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    "metadata.name must be a DNS-1035 label (lowercase letters, digits and '-', starting with a letter, at most 63 characters) because it also names the Service")]
public sealed class InferenceService : IKubernetesObject<V1ObjectMeta>, ISpec<InferenceServiceSpec>, IStatus<InferenceServiceStatus?>
{
    public const string GroupName = "serving.platform.dev";
    public const string Version = "v1alpha1";
    public const string KindName = "InferenceService";
    public const string Plural = "inferenceservices";
    public const string Singular = "inferenceservice";
    public const string ShortName = "infsvc";
    public const string ApiVersionValue = GroupName + "/" + Version;

    [JsonPropertyName("apiVersion")]
    [Description("APIVersion defines the versioned schema of this representation of an object.")]
    public string ApiVersion { get; set; } = ApiVersionValue;

    [JsonPropertyName("kind")]
    [Description("Kind is a string value representing the REST resource this object represents.")]
    public string Kind { get; set; } = KindName;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    [Required]
    public InferenceServiceSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public InferenceServiceStatus? Status { get; set; }
}
