using System.Text.Json.Serialization;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

[Description("The model to serve.")]
public sealed class ModelSpec
{
    /// <summary>A DNS label: the name goes into URLs and metric labels.</summary>
    public const string NamePattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>Relative path segments of safe characters; '..' segments are refused by a CEL rule.</summary>
    public const string PathPattern = "^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$";

    [JsonPropertyName("name")]
    [Pattern(NamePattern)]
    [Length(1, 63)]
    [Description("Name the model is served under (/v2/models/<name>/infer); a DNS label. When omitted: metadata.name.")]
    public string? Name { get; set; }

    [JsonPropertyName("version")]
    [Length(1, 64)]
    [Pattern("^[A-Za-z0-9_.-]+$")]
    [Description("Version string reported in the model's metadata. Optional.")]
    public string? Version { get; set; }

    [JsonPropertyName("path")]
    [Required]
    [Length(1, 1024)]
    [Pattern(PathPattern)]
    [CelRule(
        "self != '..' && !self.startsWith('../') && !self.contains('/../') && !self.endsWith('/..')",
        "path must stay inside the model volume: '..' segments are not allowed")]
    [Description("Path of the ONNX file relative to the root of the model source, e.g. 'model.onnx' or 'resnet/1/model.onnx'.")]
    public string Path { get; set; } = "";

    [JsonPropertyName("source")]
    [Required]
    [Description("The volume that holds the model file, mounted read-only into every replica.")]
    public ModelSource Source { get; set; } = new();
}

[Description("Exactly one of pvc or image.")]
[CelRule("has(self.pvc) != has(self.image)", "exactly one of pvc or image must be set")]
public sealed class ModelSource
{
    [JsonPropertyName("pvc")]
    [Description("A PersistentVolumeClaim in the same namespace, mounted read-only (ReadOnlyMany or ReadWriteMany claims let replicas share it across nodes).")]
    public PvcModelSource? Pvc { get; set; }

    [JsonPropertyName("image")]
    [Description("An OCI image (or artifact) mounted as a read-only image volume; needs Kubernetes 1.33+ with image volumes enabled.")]
    public ImageModelSource? Image { get; set; }
}

public sealed class PvcModelSource
{
    [JsonPropertyName("claimName")]
    [Required]
    [Length(1, 253)]
    [Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    [Description("Name of the PersistentVolumeClaim.")]
    public string ClaimName { get; set; } = "";

    [JsonPropertyName("subPath")]
    [Length(1, 1024)]
    [Pattern(ModelSpec.PathPattern)]
    [CelRule(
        "self != '..' && !self.startsWith('../') && !self.contains('/../') && !self.endsWith('/..')",
        "subPath must stay inside the volume: '..' segments are not allowed")]
    [Description("Directory inside the claim to mount instead of its root; model.path is relative to it.")]
    public string? SubPath { get; set; }
}

public sealed class ImageModelSource
{
    [JsonPropertyName("reference")]
    [Required]
    [Length(1, 1024)]
    [Description("Image reference, e.g. registry.example.com/models/resnet50:1.")]
    public string Reference { get; set; } = "";

    [JsonPropertyName("pullPolicy")]
    [Description("Pull policy of the model image. When omitted, Kubernetes' default applies.")]
    public PullPolicy? PullPolicy { get; set; }
}
