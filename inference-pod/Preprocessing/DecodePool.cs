using Platform.Contracts;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// A few dedicated threads that decode images, apart from the thread pool that serves requests,
/// so a burst of large images can never starve the server. At most <c>threads</c> images decode at
/// once and <c>maxQueued</c> wait; one more is refused with 429 at once. A decode that runs past
/// <c>workTimeout</c> (a decoder stuck on a pathological file) is answered with 400 and its thread
/// replaced, so the pool keeps its capacity; the stuck thread is left to finish on its own.
/// Work must not write to memory its caller owns: the caller may be gone when it finishes.
/// </summary>
public sealed class DecodePool : IDisposable
{
    private readonly Queue<IWork> _queue = new();
    private readonly object _gate = new();
    private readonly int _threads;
    private readonly int _maxQueued;
    private readonly TimeSpan _workTimeout;
    private readonly TimeProvider _time;
    private readonly ITimer _watchdog;
    private readonly Dictionary<Worker, (IWork Work, long Started)> _running = new();
    private int _idle;
    private int _started;
    private bool _disposed;

    public DecodePool(int threads, int maxQueued, TimeSpan workTimeout, TimeProvider time)
    {
        _threads = threads;
        _maxQueued = maxQueued;
        _workTimeout = workTimeout;
        _time = time;
        for (var i = 0; i < threads; i++) StartWorker();
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, workTimeout.Ticks / 4));
        _watchdog = time.CreateTimer(static s => ((DecodePool)s!).AbandonStuckWork(), this, period, period);
    }

    /// <summary>Threads started so far, the replacements of abandoned ones included.</summary>
    public int ThreadsStarted => Volatile.Read(ref _started);

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
        _watchdog.Dispose();
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void StartWorker()
    {
        var worker = new Worker();
        var index = Interlocked.Increment(ref _started);
        new Thread(() => Loop(worker)) { IsBackground = true, Name = $"image-decode-{index}" }.Start();
    }

    private void Loop(Worker worker)
    {
        while (true)
        {
            IWork work;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    if (_disposed || worker.Abandoned) return;
                    _idle++;
                    Monitor.Wait(_gate);
                    _idle--;
                }
                if (worker.Abandoned) return;
                work = _queue.Dequeue();
                _running[worker] = (work, _time.GetTimestamp());
            }
            work.Run();
            lock (_gate)
            {
                _running.Remove(worker);
                // A replacement took this thread's place while it was stuck: leave.
                if (worker.Abandoned) return;
            }
        }
    }

    private void AbandonStuckWork()
    {
        var stuck = new List<IWork>();
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            foreach (var (worker, (work, started)) in _running.ToArray())
            {
                if (_time.GetElapsedTime(started, now) < _workTimeout) continue;
                worker.Abandoned = true;
                _running.Remove(worker);
                stuck.Add(work);
                if (!_disposed) StartWorker();
            }
        }
        foreach (var work in stuck)
        {
            work.Abandon(InferenceError.BadRequest(
                $"the image could not be decoded within {_workTimeout.TotalSeconds:0.###} s ({PodSettings.PreprocessingDecodeTimeoutSeconds}); it is most likely corrupt"));
        }
    }

    private sealed class Worker
    {
        public bool Abandoned { get; set; }
    }

    private interface IWork
    {
        void Run();
        void Abandon(Exception error);
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

        public void Abandon(Exception error) => _completion.TrySetException(error);
    }
}
