using Microsoft.Extensions.Logging.Abstractions;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Gpu;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Metrics;
using Platform.InferencePod.Tests.Batching;

namespace Platform.InferencePod.Tests.Gpu;

/// <summary>The batch loop asks the GPU memory gate before each batch; a fake memory source drives it.</summary>
public sealed class GpuMemoryHoldTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Free memory set by the test; counts how often the batch loops read it.</summary>
    private sealed class FakeMemorySource : IGpuMemorySource
    {
        private readonly List<(int Reads, TaskCompletionSource Reached)> _waiters = [];
        private int _reads;

        public long FreeBytes { get; set; }
        public bool Known { get; set; } = true;

        public bool TryGetFreeMemory(int device, out long freeBytes)
        {
            freeBytes = FreeBytes;
            var reads = Interlocked.Increment(ref _reads);
            lock (_waiters)
            {
                foreach (var waiter in _waiters.Where(w => reads >= w.Reads)) waiter.Reached.TrySetResult();
            }
            return Known;
        }

        /// <summary>Completes once the loops have read the memory <paramref name="more"/> more times.</summary>
        public Task ReadsAsync(int more)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waiters) _waiters.Add((Volatile.Read(ref _reads) + more, reached));
            return reached.Task;
        }
    }

    private static (InferenceScheduler Scheduler, FakeBatchRunner Runner) Start(FakeMemorySource memory, double timeoutMs = 30_000, Func<int, Exception?>? failure = null)
    {
        var options = new PodOptions(new ModelOptions { Path = "echo.onnx" }, new BatchingOptions { MaxBatchSize = 4, MaxQueueDelayMs = 0 },
            new QueueOptions { Capacity = 16, DefaultTimeoutMs = timeoutMs, PriorityLevels = 1 }, new WarmupOptions { Iterations = 0 }, new ServerOptions())
        {
            Gpu = new GpuOptions { MinFreeMemoryBytes = 1_000, SampleIntervalMs = 10 },
        };
        var runner = new FakeBatchRunner(failure);
        var gate = new GpuMemoryGate(memory, options, NullLogger<GpuMemoryGate>.Instance);
        var scheduler = new InferenceScheduler(FakeBatchRunner.Metadata, [runner], options,
            new PodMetricSet(Prometheus.Metrics.NewCustomRegistry(), "echo"), TimeProvider.System, NullLogger.Instance, gate);
        scheduler.Start();
        return (scheduler, runner);
    }

    private static WorkItem Submit(InferenceScheduler scheduler, int rows = 1, double timeoutMs = 30_000)
    {
        var now = TimeProvider.System.GetTimestamp();
        var deadline = now + (long)(timeoutMs / 1000 * TimeProvider.System.TimestampFrequency);
        Assert.Equal(AdmitResult.Admitted, scheduler.TryAdmit(FakeBatchRunner.Request(rows, 0), now, deadline, warmup: false, out var item));
        return item;
    }

    private static async Task StopAsync(InferenceScheduler scheduler)
    {
        scheduler.BeginDrain();
        await scheduler.Stopped.WaitAsync(Patience);
    }

    [Theory]
    [InlineData(true, 999, 1_000, true)]
    [InlineData(true, 1_000, 1_000, false)]
    [InlineData(false, 0, 1_000, false)]
    [InlineData(true, 0, 0, false)]
    public void The_policy_holds_only_on_a_known_reading_below_the_minimum(bool known, long free, long minimum, bool hold) =>
        Assert.Equal(hold, GpuMemoryPolicy.ShouldHold(known, free, minimum));

    [Fact]
    public async Task Batches_wait_while_free_memory_is_below_the_minimum_and_run_once_it_is_freed()
    {
        var memory = new FakeMemorySource { FreeBytes = 500 };
        var (scheduler, runner) = Start(memory);
        var item = Submit(scheduler);
        await memory.ReadsAsync(5).WaitAsync(Patience);
        Assert.Empty(runner.Runs);
        Assert.False(item.Completion.IsCompleted);
        Assert.Equal(1, scheduler.Queue.Count);

        memory.FreeBytes = 5_000;
        await item.Completion.WaitAsync(Patience);
        Assert.Equal([1], runner.Runs);
        await StopAsync(scheduler);
    }

    [Fact]
    public async Task A_held_request_still_meets_its_deadline_and_is_never_computed()
    {
        var memory = new FakeMemorySource { FreeBytes = 500 };
        var (scheduler, runner) = Start(memory, timeoutMs: 100);
        var item = Submit(scheduler, timeoutMs: 100);
        var error = await Assert.ThrowsAsync<InferenceError>(() => item.Completion.WaitAsync(Patience));
        Assert.Equal(504, error.StatusCode);
        Assert.Empty(runner.Runs);
        memory.FreeBytes = 5_000;
        await StopAsync(scheduler);
    }

    [Fact]
    public async Task Without_a_reading_batches_are_never_held()
    {
        var memory = new FakeMemorySource { FreeBytes = 0, Known = false };
        var (scheduler, runner) = Start(memory);
        await Submit(scheduler).Completion.WaitAsync(Patience);
        Assert.Equal([1], runner.Runs);
        await StopAsync(scheduler);
    }

    [Fact]
    public async Task After_a_request_runs_out_of_memory_the_loop_keeps_serving()
    {
        var memory = new FakeMemorySource { FreeBytes = 5_000 };
        var (scheduler, _) = Start(memory, failure: rows => rows > 2 ? FakeBatchRunner.OutOfMemory() : null);
        var error = await Assert.ThrowsAsync<InferenceError>(() => Submit(scheduler, rows: 3).Completion.WaitAsync(Patience));
        Assert.Equal(507, error.StatusCode);
        var outputs = await Submit(scheduler, rows: 2).Completion.WaitAsync(Patience);
        Assert.Equal([2L, 2L], outputs[0].Shape);
        await StopAsync(scheduler);
    }
}
