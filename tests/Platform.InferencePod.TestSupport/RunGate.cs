using Platform.InferencePod.Inference;

namespace Platform.InferencePod.TestSupport;

/// <summary>
/// Holds the pod's model runs while closed: a batch loop that starts a run waits inside it, its
/// batch taken from the queue and "computing", until the gate opens or lets runs through. Tests
/// hold one batch and queue a backlog behind it exactly, instead of hoping the model computes
/// slower than the client sends. Starts open, so the pod's warm-up runs pass.
/// </summary>
public sealed class RunGate : IBatchRunnerDecorator
{
    private readonly object _lock = new();
    private readonly List<(int Runs, TaskCompletionSource Reached)> _watchers = [];
    private bool _closed;
    private int _allowed;
    private int _holding;

    /// <summary>Runs that start from now on wait until <see cref="Open"/> or <see cref="Allow"/>.</summary>
    public void Close()
    {
        lock (_lock) _closed = true;
    }

    /// <summary>Lets every held run go on, and later runs pass.</summary>
    public void Open()
    {
        lock (_lock)
        {
            _closed = false;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Lets <paramref name="runs"/> more runs through while closed, held ones or ones still to start (the loops ask once per run).</summary>
    public void Allow(int runs)
    {
        lock (_lock)
        {
            _allowed += runs;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Runs waiting at the gate now.</summary>
    public int Holding
    {
        get { lock (_lock) return _holding; }
    }

    /// <summary>Completes once at least <paramref name="runs"/> runs wait at the gate.</summary>
    public Task WhenHolding(int runs)
    {
        lock (_lock)
        {
            if (_holding >= runs) return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _watchers.Add((runs, reached));
            return reached.Task;
        }
    }

    public IBatchRunner Decorate(IBatchRunner runner) => new HeldRunner(runner, this);

    /// <summary>Blocks the calling batch loop while the gate is closed and no run is allowed through.</summary>
    private void Pass()
    {
        lock (_lock)
        {
            if (!_closed) return;
            if (_allowed == 0)
            {
                _holding++;
                _watchers.RemoveAll(w => w.Runs <= _holding && w.Reached.TrySetResult());
                while (_closed && _allowed == 0) Monitor.Wait(_lock);
                _holding--;
                if (!_closed) return;
            }
            _allowed--;
        }
    }

    private sealed class HeldRunner(IBatchRunner inner, RunGate gate) : IBatchRunner
    {
        public int Index => inner.Index;

        public OutputTensor[][] Run(IReadOnlyList<InferenceRequest> batch)
        {
            gate.Pass();
            return inner.Run(batch);
        }
    }
}
