using System.Text.Json.Serialization;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

[Description("How the classify endpoint turns the model's output into labels with scores. Set together with preprocessing. Fields left out take the pod's defaults.")]
public sealed class PostprocessingSpec
{
    [JsonPropertyName("output")]
    [Length(1, 256)]
    [Description("The model output holding one score per class. When omitted: the model's first output.")]
    public string? Output { get; set; }

    [JsonPropertyName("softmax")]
    [Description("Turn the output (logits) into probabilities before ranking. Pod default: false.")]
    public bool? Softmax { get; set; }

    [JsonPropertyName("topK")]
    [Range(1, 1000000)]
    [Description("Labels returned when a request does not ask for a number (top_k). Pod default: 5.")]
    public int? TopK { get; set; }

    [JsonPropertyName("labelsPath")]
    [Length(1, 1024)]
    [Pattern(ModelSpec.PathPattern)]
    [CelRule(
        "self != '..' && !self.startsWith('../') && !self.contains('/../') && !self.endsWith('/..')",
        "labelsPath must stay inside the model volume: '..' segments are not allowed")]
    [Description("Text file with one label per line (line i names class i), relative to the root of the model source like model.path, e.g. 'resnet50/labels.txt'. When omitted, labels are the class indices.")]
    public string? LabelsPath { get; set; }
}
