using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Gpu;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Metrics;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Batching;

/// <summary>
/// Admission plus one batch loop per model instance. Each loop runs on its own thread
/// (a model run blocks), warms its instance up, then repeatedly asks <see cref="BatchPolicy"/>
/// whether to send what is queued, stacks it into one run, and completes each request.
/// Loops exit only once the queue is closed and empty, so draining never drops an admitted request.
/// </summary>
public sealed class InferenceScheduler
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(250);
    private readonly ModelMetadata _metadata;
    private readonly IReadOnlyList<IBatchRunner> _runners;
    private readonly GpuMemoryGate _memoryGate;
    private readonly PodOptions _options;
    private readonly PodMetricSet _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxBatchSize;
    private readonly long _maxQueueDelayTicks;
    private readonly TaskCompletionSource _warmedUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _loopsWarming;
    private int _loopsRunning;
    private readonly Func<int, double?> _measuredRun;
    // Per instance, while it computes: when its batch began and how long that batch is expected to take (timestamps, 0 when idle).
    private readonly long[] _runningSince;
    private readonly long[] _runningExpected;
    private double _secondsPerRow = 0.001;
    private double _correction = 1;

    /// <summary>A scheduler over the model's instances, each wrapped by <paramref name="runnerDecorator"/> when the host registers one.</summary>
    public InferenceScheduler(LoadedModel model, PodOptions options, PodMetricSet metrics, TimeProvider time, ILogger<InferenceScheduler> logger, GpuMemoryGate memoryGate,
        IBatchRunnerDecorator? runnerDecorator = null)
        : this(model.Metadata, Runners(model.Instances, runnerDecorator), options, metrics, time, logger, memoryGate)
    {
    }

    private static IReadOnlyList<IBatchRunner> Runners(IReadOnlyList<IBatchRunner> instances, IBatchRunnerDecorator? decorator) =>
        decorator is null ? instances : instances.Select(decorator.Decorate).ToArray();

    /// <summary>A scheduler over any batch runners (the model's instances, or stand-ins in tests).</summary>
    internal InferenceScheduler(ModelMetadata metadata, IReadOnlyList<IBatchRunner> runners, PodOptions options, PodMetricSet metrics, TimeProvider time, ILogger logger, GpuMemoryGate memoryGate)
    {
        _metadata = metadata;
        _runners = runners;
        _memoryGate = memoryGate;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _maxBatchSize = metadata.SupportsBatching ? options.Batching.MaxBatchSize : 1;
        _maxQueueDelayTicks = (long)(options.Batching.MaxQueueDelay.TotalSeconds * time.TimestampFrequency);
        Queue = new AdmissionQueue(options.Queue.Capacity, options.Queue.PriorityLevels, runners.Count);
        _measuredRun = metrics.BatchServiceTime.Mean;
        _runningSince = new long[runners.Count];
        _runningExpected = new long[runners.Count];
    }

    public AdmissionQueue Queue { get; }
    public ModelMetadata Metadata => _metadata;
    /// <summary>Rows one run may stack (1 for a model without a dynamic batch axis).</summary>
    public int MaxBatchSize => _maxBatchSize;
    /// <summary>Completes when every instance has run its warm-up; faults when a warm-up run fails.</summary>
    public Task WarmedUp => _warmedUp.Task;
    /// <summary>Completes when every loop has exited after a drain.</summary>
    public Task Stopped => _stopped.Task;

    public void Start()
    {
        _loopsWarming = _runners.Count;
        _loopsRunning = _runners.Count;
        foreach (var instance in _runners)
        {
            var thread = new Thread(() => RunLoop(instance)) { IsBackground = true, Name = $"batch-loop-{instance.Index}" };
            thread.Start();
        }
    }

    /// <summary>Requests the queue holds at most.</summary>
    public int Capacity => Queue.Capacity;
    /// <summary>Requests queued now.</summary>
    public int QueuedRequests => Queue.Count;
    /// <summary>Priority levels a request may ask for (1 is highest).</summary>
    public int PriorityLevels => Queue.PriorityLevels;

    /// <summary>The queue level (0 served first) of a protocol priority: 1 is highest, 0 means the default, the lowest level.</summary>
    public int LevelOf(int priority)
    {
        var levels = Queue.PriorityLevels;
        return priority == 0 ? levels - 1 : Math.Min(priority, levels) - 1;
    }

    /// <summary>
    /// Admits a decoded request with its deadline, or says why not (the queue is full, or closed
    /// for a drain). An admitted request's <see cref="WorkItem"/> completes with its outputs, or
    /// fails when it passes its deadline before compute or is cancelled.
    /// </summary>
    public AdmitResult TryAdmit(InferenceRequest request, long arrivalTimestamp, long deadlineTimestamp, bool warmup, out WorkItem item)
    {
        item = new WorkItem(request, LevelOf(request.Priority), arrivalTimestamp, deadlineTimestamp, warmup);
        return Queue.TryEnqueue(item);
    }

    /// <summary>Completes when the queue has room again or closes.</summary>
    public Task WhenRoomAsync(CancellationToken cancellationToken) => Queue.WhenRoomAsync(cancellationToken);

    /// <summary>Seconds until the current backlog is computed, for a 429's Retry-After.</summary>
    public int EstimateRetryAfterSeconds() => (int)Math.Clamp(Math.Ceiling(EstimateBacklog().TotalSeconds), 1, 3600);

    /// <summary>How long the instances need for what they compute now and what is queued, shared among them.</summary>
    public TimeSpan EstimateBacklog() => TimeSpan.FromSeconds(WorkSeconds(Queue.QueuedRows) / _runners.Count);

    /// <summary>How long until a request of <paramref name="rows"/> rows admitted now would be answered: the backlog, then its own batch.</summary>
    public TimeSpan EstimateCompletion(int rows) => TimeSpan.FromSeconds(WorkSeconds(Queue.QueuedRows + rows) / _runners.Count);

    /// <summary>How long one run of <paramref name="rows"/> rows takes, from the measured service-time curve.</summary>
    public TimeSpan EstimateCompute(int rows) => TimeSpan.FromSeconds(CurveSeconds(rows) * Volatile.Read(ref _correction));

    /// <summary>Seconds for <paramref name="rows"/> rows on the measured curve alone, before the recent-runs correction.</summary>
    private double CurveSeconds(int rows) => ComputeEstimate.Seconds(rows, _maxBatchSize, _measuredRun, Volatile.Read(ref _secondsPerRow));

    /// <summary>Seconds of compute left in the running batches plus <paramref name="queuedRows"/> rows run as batches.</summary>
    private double WorkSeconds(int queuedRows)
    {
        var now = _time.GetTimestamp();
        var running = 0L;
        for (var i = 0; i < _runningSince.Length; i++)
        {
            var since = Volatile.Read(ref _runningSince[i]);
            if (since != 0) running += Math.Max(0, Volatile.Read(ref _runningExpected[i]) - (now - since));
        }
        return running / (double)_time.TimestampFrequency + CurveSeconds(queuedRows) * Volatile.Read(ref _correction);
    }

    /// <summary>Stops admission; queued requests are still computed.</summary>
    public void BeginDrain() => Queue.Close();

    private void RunLoop(IBatchRunner instance)
    {
        try
        {
            if (!WarmUp(instance)) return;
            ServeLoop(instance);
        }
        finally
        {
            if (Interlocked.Decrement(ref _loopsRunning) == 0) _stopped.TrySetResult();
        }
    }

    private bool WarmUp(IBatchRunner instance)
    {
        try
        {
            var began = _time.GetTimestamp();
            var covered = new List<int>();
            foreach (var step in WarmupPlan.For(_options.Warmup, _maxBatchSize))
            {
                if (step.WithinBudgetOnly && _time.GetElapsedTime(began) > WarmupPlan.Budget) continue;
                var batch = SyntheticRequests.Batch(_metadata, step.BatchSize);
                for (var i = 0; i < step.Runs; i++)
                {
                    var start = _time.GetTimestamp();
                    foreach (var outputs in instance.Run(batch))
                    {
                        foreach (var output in outputs) output.Release();
                    }
                    // The first run of a size pays one-off costs (allocation, kernel choice); the service-time curve starts after it.
                    if (i > 0 || step.Runs == 1) _metrics.BatchServiceTime.Observe(step.BatchSize, _time.GetElapsedTime(start).TotalSeconds);
                }
                foreach (var request in batch) request.Dispose();
                covered.Add(step.BatchSize);
            }
            _logger.LogInformation("Warm-up of instance {Instance} ran batch sizes {BatchSizes} in {Seconds:F2} s",
                instance.Index, string.Join(',', covered.Order()), _time.GetElapsedTime(began).TotalSeconds);
            if (Interlocked.Decrement(ref _loopsWarming) == 0) _warmedUp.TrySetResult();
            return true;
        }
        catch (Exception e)
        {
            _warmedUp.TrySetException(new StartupException($"warm-up of model '{_metadata.Name}' failed: {e.Message.Split('\n')[0]}", e));
            return false;
        }
    }

    private void ServeLoop(IBatchRunner instance)
    {
        var batch = new List<WorkItem>(_maxBatchSize);
        var expired = new List<WorkItem>();
        var benefit = DelayBenefit.Initial;
        var rowsWhenWaitBegan = -1;
        while (true)
        {
            var now = _time.GetTimestamp();
            var candidate = Queue.Collect(now, _maxBatchSize, null, expired);
            FailExpired(expired);
            if (candidate is null)
            {
                if (Queue.IsDrained) return;
                rowsWhenWaitBegan = -1;
                Queue.WaitForWork(IdleWait);
                continue;
            }
            var decision = Queue.IsClosed ? BatchDecision.Now : BatchPolicy.Decide(now, candidate.Value, _maxBatchSize, _maxQueueDelayTicks, benefit);
            if (!decision.SendNow)
            {
                if (rowsWhenWaitBegan < 0) rowsWhenWaitBegan = candidate.Value.Rows;
                Queue.WaitForWork(_time.GetElapsedTime(now, decision.WaitUntilTimestamp));
                continue;
            }
            if (_memoryGate.ShouldHoldBatches())
            {
                // Too little GPU memory to start a run: the requests stay queued, deadlines still apply.
                Queue.WaitForWork(_memoryGate.RecheckInterval);
                continue;
            }
            Queue.Collect(now, _maxBatchSize, batch, expired);
            FailExpired(expired);
            if (batch.Count == 0) continue;
            var rows = Execute(instance, batch);
            benefit = benefit.After(rowsWhenWaitBegan >= 0, rowsWhenWaitBegan, rows);
            rowsWhenWaitBegan = -1;
            batch.Clear();
        }
    }

    private int Execute(IBatchRunner instance, List<WorkItem> batch)
    {
        var start = _time.GetTimestamp();
        var rows = 0;
        var serving = false;
        foreach (var item in batch)
        {
            rows += item.Rows;
            // The pod's own warm-up stays out of the histograms the autoscaler reads.
            if (item.Warmup) continue;
            serving = true;
            _metrics.QueueWait.Observe(_time.GetElapsedTime(item.EnqueuedTimestamp, start).TotalSeconds);
        }
        var slot = instance.Index % _runningSince.Length;
        var predicted = CurveSeconds(rows);
        Volatile.Write(ref _runningExpected[slot], (long)(predicted * Volatile.Read(ref _correction) * _time.TimestampFrequency));
        Volatile.Write(ref _runningSince[slot], start);
        try
        {
            BatchExecutor.Run(instance, batch, _logger);
        }
        finally
        {
            Volatile.Write(ref _runningSince[slot], 0);
        }
        var elapsed = _time.GetElapsedTime(start).TotalSeconds;
        // Several loops may finish at once; a lost update only delays the correction by one run.
        Volatile.Write(ref _correction, ComputeEstimate.NextCorrection(Volatile.Read(ref _correction), elapsed, predicted));
        _metrics.BatchServiceTime.Observe(rows, elapsed);
        if (serving)
        {
            _metrics.ComputeDuration.Observe(elapsed);
            _metrics.BatchSize.Observe(rows);
        }
        var perRow = Volatile.Read(ref _secondsPerRow);
        Volatile.Write(ref _secondsPerRow, perRow + 0.2 * (elapsed / rows - perRow));
        return rows;
    }

    private void FailExpired(List<WorkItem> expired)
    {
        if (expired.Count == 0) return;
        foreach (var item in expired)
        {
            item.Fail(DeadlineExceeded(item));
        }
        expired.Clear();
    }

    public InferenceError DeadlineExceeded(WorkItem item)
    {
        var waited = _time.GetElapsedTime(item.EnqueuedTimestamp).TotalMilliseconds;
        return new InferenceError(StatusCodes.Status504GatewayTimeout,
            $"request waited {waited:F0} ms in the queue and passed its deadline before compute began; it was not computed",
            PodMetrics.Reasons.Deadline);
    }
}
