using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Gpu;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Metrics;

namespace Platform.InferencePod.Tests.Batching;

/// <summary>
/// The scheduler's backlog estimate, with a batch runner the test holds mid-run and a clock the
/// test moves: it counts what the running batch has left and prices the queue from the measured
/// service-time curve.
/// </summary>
public sealed class BacklogEstimateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Holds every run until released; says when one has begun.</summary>
    private sealed class HeldRunner : IBatchRunner
    {
        private readonly FakeBatchRunner _echo = new();
        private readonly SemaphoreSlim _release = new(0);
        private readonly SemaphoreSlim _began = new(0);

        public int Index => 0;

        public OutputTensor[][] Run(IReadOnlyList<InferenceRequest> batch)
        {
            _began.Release();
            _release.Wait();
            return _echo.Run(batch);
        }

        public Task BeganAsync() => _began.WaitAsync(Patience);

        public void Release(int runs) => _release.Release(runs);
    }

    private sealed class NoReading : IGpuMemorySource
    {
        public bool TryGetFreeMemory(int device, out long freeBytes)
        {
            freeBytes = 0;
            return false;
        }
    }

    [Fact]
    public async Task The_backlog_counts_the_running_batch_and_prices_the_queue_from_the_curve()
    {
        var time = new FakeTimeProvider();
        var options = new PodOptions(new ModelOptions { Path = "echo.onnx" }, new BatchingOptions { MaxBatchSize = 4, MaxQueueDelayMs = 0 },
            new QueueOptions { Capacity = 16, DefaultTimeoutMs = 600_000, PriorityLevels = 1 }, new WarmupOptions { Iterations = 0 }, new ServerOptions());
        var metrics = new PodMetricSet(Prometheus.Metrics.NewCustomRegistry(), "echo");
        // The curve as warm-up would leave it: 100 ms at batch 1, 160 ms at batch 4.
        metrics.BatchServiceTime.Observe(1, 0.100);
        metrics.BatchServiceTime.Observe(4, 0.160);
        var runner = new HeldRunner();
        var gate = new GpuMemoryGate(new NoReading(), options, NullLogger<GpuMemoryGate>.Instance);
        var scheduler = new InferenceScheduler(FakeBatchRunner.Metadata, [runner], options, metrics, time, NullLogger.Instance, gate);
        scheduler.Start();
        await scheduler.WarmedUp.WaitAsync(Patience);

        Assert.Equal(TimeSpan.Zero, scheduler.EstimateBacklog());
        var first = Submit(scheduler, time, rows: 4);
        await runner.BeganAsync();
        Assert.Equal(160, scheduler.EstimateBacklog().TotalMilliseconds, 3);
        time.Advance(TimeSpan.FromMilliseconds(60));
        Assert.Equal(100, scheduler.EstimateBacklog().TotalMilliseconds, 3);

        // Queued behind it: 6 rows run as one batch of 4 (160 ms) and one of 2 (120 ms on the line from 1 to 4).
        var queued = new[] { Submit(scheduler, time, rows: 3), Submit(scheduler, time, rows: 3) };
        Assert.Equal(100 + 160 + 120, scheduler.EstimateBacklog().TotalMilliseconds, 3);
        // A one-row request admitted now would complete with the 7th row's batch: 4 + 3 rows.
        Assert.Equal(100 + 160 + 140, scheduler.EstimateCompletion(1).TotalMilliseconds, 3);
        Assert.Equal(120, scheduler.EstimateCompute(2).TotalMilliseconds, 3);

        // A run that overruns its estimate counts as about to finish, not as negative work.
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(160 + 120, scheduler.EstimateBacklog().TotalMilliseconds, 3);

        runner.Release(10);
        await Task.WhenAll(queued.Append(first).Select(item => item.Completion)).WaitAsync(Patience);
        scheduler.BeginDrain();
        await scheduler.Stopped.WaitAsync(Patience);
    }

    private static WorkItem Submit(InferenceScheduler scheduler, TimeProvider time, int rows)
    {
        var now = time.GetTimestamp();
        Assert.Equal(AdmitResult.Admitted, scheduler.TryAdmit(FakeBatchRunner.Request(rows, 0), now, long.MaxValue, warmup: false, out var item));
        return item;
    }
}
