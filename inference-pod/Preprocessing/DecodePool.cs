using Platform.Contracts;
using Platform.InferencePod.Protocol;

namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// A few dedicated threads that decode images, apart from the thread pool that serves requests,
/// so a burst of large images can never starve the server. At most <c>threads</c> images decode at
/// once and <c>maxQueued</c> wait; one more is refused with 429 at once.
/// </summary>
public sealed class DecodePool : IDisposable
{
    private readonly Queue<IWork> _queue = new();
    private readonly object _gate = new();
    private readonly int _threads;
    private readonly int _maxQueued;
    private int _idle;
    private bool _disposed;

    public DecodePool(int threads, int maxQueued)
    {
        _threads = threads;
        _maxQueued = maxQueued;
        for (var i = 0; i < threads; i++)
        {
            new Thread(Loop) { IsBackground = true, Name = $"image-decode-{i}" }.Start();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a decode thread; its exceptions surface from the task. Throws 429 when the pool is full.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var entry = new Work<T>(work, cancellationToken);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Idle threads take work at once; beyond them, only maxQueued may wait.
            if (_queue.Count >= _idle + _maxQueued)
            {
                throw new InferenceError(StatusCodes.Status429TooManyRequests,
                    $"too many images are being decoded ({_threads} at once, {_maxQueued} waiting); retry later", PodMetrics.Reasons.QueueFull);
            }
            _queue.Enqueue(entry);
            Monitor.Pulse(_gate);
        }
        return entry.Task;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void Loop()
    {
        while (true)
        {
            IWork work;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    if (_disposed) return;
                    _idle++;
                    Monitor.Wait(_gate);
                    _idle--;
                }
                work = _queue.Dequeue();
            }
            work.Run();
        }
    }

    private interface IWork
    {
        void Run();
    }

    private sealed class Work<T>(Func<T> work, CancellationToken cancellationToken) : IWork
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _completion.Task;

        public void Run()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(cancellationToken);
                return;
            }
            try
            {
                _completion.TrySetResult(work());
            }
            catch (Exception e)
            {
                _completion.TrySetException(e);
            }
        }
    }
}
