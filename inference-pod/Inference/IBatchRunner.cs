namespace Platform.InferencePod.Inference;

/// <summary>Computes batches for one batch loop: a model instance, or a stand-in in tests.</summary>
public interface IBatchRunner
{
    int Index { get; }

    /// <summary>Runs the requests as one stacked model run; returns, per request, its slice of every model output.</summary>
    OutputTensor[][] Run(IReadOnlyList<InferenceRequest> batch);
}
