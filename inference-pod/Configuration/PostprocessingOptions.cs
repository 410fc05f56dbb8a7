namespace Platform.InferencePod.Configuration;

/// <summary>How a classifier's output becomes labels with scores (section "Postprocessing").</summary>
public sealed class PostprocessingOptions
{
    public bool Enabled { get; set; }
    /// <summary>The model output holding one score per class; default: the model's first output.</summary>
    public string? Output { get; set; }
    /// <summary>Turn the output (logits) into probabilities before ranking.</summary>
    public bool Softmax { get; set; }
    /// <summary>Labels returned when the request does not ask (top_k).</summary>
    public int TopK { get; set; } = 5;
    /// <summary>Text file with one label per line, line i naming class i; without it labels are the class indices.</summary>
    public string? LabelsPath { get; set; }
}
