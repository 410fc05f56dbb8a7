namespace Platform.InferencePod.Inference;

/// <summary>
/// Wraps the batch runners the scheduler builds from the loaded model, to observe or hold their
/// runs (tracing, a test that keeps a batch computing). Optional: when the host registers one, every
/// batch loop, warm-up included, runs through the runner it returns; when none is registered the
/// loops run the model instances themselves.
/// </summary>
public interface IBatchRunnerDecorator
{
    /// <summary>The runner to use in place of <paramref name="runner"/>; it keeps <paramref name="runner"/>'s <see cref="IBatchRunner.Index"/>.</summary>
    IBatchRunner Decorate(IBatchRunner runner);
}
