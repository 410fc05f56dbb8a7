using Platform.InferencePod.Metrics;

namespace Platform.InferencePod.Pipeline;

/// <summary>Readiness as probes and clients see it: ready after warm-up, not ready again once draining.</summary>
public sealed class PodState(PodMetricSet metrics)
{
    private volatile bool _warmedUp;
    private volatile bool _draining;
    private readonly TaskCompletionSource _warmedUpSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when warm-up has finished and the pod turned ready.</summary>
    public Task WhenWarmedUp => _warmedUpSignal.Task;

    public bool WarmedUp => _warmedUp;
    public bool Draining => _draining;
    public bool IsReady => _warmedUp && !_draining;

    public void MarkWarmedUp()
    {
        _warmedUp = true;
        metrics.ModelReady.Set(IsReady ? 1 : 0);
        _warmedUpSignal.TrySetResult();
    }

    public void BeginDraining()
    {
        _draining = true;
        metrics.ModelReady.Set(0);
    }
}
