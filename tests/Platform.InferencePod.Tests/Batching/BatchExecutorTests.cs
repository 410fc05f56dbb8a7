using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Inference;

namespace Platform.InferencePod.Tests.Batching;

public sealed class BatchExecutorTests
{
    private static WorkItem Item(int rows, float first) => new(FakeBatchRunner.Request(rows, first), 0, 0, long.MaxValue);

    private static float[] Values(OutputTensor[] outputs) => MemoryMarshal.Cast<byte, float>(outputs[0].Data).ToArray();

    [Fact]
    public async Task A_batch_that_runs_out_of_memory_is_retried_in_halves_and_every_request_gets_its_own_outputs()
    {
        var runner = new FakeBatchRunner(rows => rows > 2 ? FakeBatchRunner.OutOfMemory() : null);
        var batch = Enumerable.Range(0, 4).Select(i => Item(1, i * 10)).ToList();
        BatchExecutor.Run(runner, batch, NullLogger.Instance);
        Assert.Equal([4, 2, 2], runner.Runs);
        for (var i = 0; i < batch.Count; i++) Assert.Equal(new[] { i * 10f, i * 10f + 1 }, Values(await batch[i].Completion));
    }

    [Fact]
    public async Task A_request_that_does_not_fit_alone_gets_507_and_the_others_are_served()
    {
        var runner = new FakeBatchRunner(rows => rows > 2 ? FakeBatchRunner.OutOfMemory() : null);
        var small = Item(1, 0);
        var large = Item(3, 100);
        var other = Item(2, 50);
        BatchExecutor.Run(runner, [small, large, other], NullLogger.Instance);
        Assert.Equal([6, 1, 5, 3, 2], runner.Runs);
        Assert.Equal(new[] { 0f, 1f }, Values(await small.Completion));
        Assert.Equal(new[] { 50f, 51f, 52f, 53f }, Values(await other.Completion));
        var error = await Assert.ThrowsAsync<InferenceError>(() => large.Completion);
        Assert.Equal(507, error.StatusCode);
        Assert.Equal("the model ran out of device memory computing this request alone (3 row(s)); send fewer rows per request", error.Message);
    }

    [Fact]
    public async Task Any_other_failure_answers_the_run_with_500_and_is_not_retried()
    {
        var runner = new FakeBatchRunner(_ => new InvalidOperationException("shape inference failed\nstack"));
        var batch = new List<WorkItem> { Item(1, 0), Item(1, 1) };
        BatchExecutor.Run(runner, batch, NullLogger.Instance);
        Assert.Equal([2], runner.Runs);
        foreach (var item in batch)
        {
            var error = await Assert.ThrowsAsync<InferenceError>(() => item.Completion);
            Assert.Equal((500, "model run failed: shape inference failed"), (error.StatusCode, error.Message));
        }
    }

    [Fact]
    public void Only_the_runtime_s_allocation_failures_count_as_out_of_memory()
    {
        Assert.True(BatchExecutor.IsOutOfDeviceMemory(FakeBatchRunner.OutOfMemory()));
        Assert.False(BatchExecutor.IsOutOfDeviceMemory(new InvalidOperationException("CUDA failure 2: out of memory")));
        Assert.False(BatchExecutor.IsOutOfDeviceMemory(new OutOfMemoryException()));
    }
}
