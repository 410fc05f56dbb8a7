using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Batching;

public sealed class WarmupPlanTests
{
    [Theory]
    // given sizes, iterations, max batch -> size:runs (a trailing ? is skipped past the budget)
    [InlineData("", 3, 1, "1:3")]
    [InlineData("", 3, 2, "1:3 2:3")]
    [InlineData("", 3, 5, "1:3 5:3 2:2? 3:2? 4:2?")]
    [InlineData("", 1, 4, "1:1 4:1 2:1? 3:1?")]
    [InlineData("", 0, 3, "1:0 3:0 2:0?")]
    [InlineData("1,8", 3, 8, "1:3 8:3")]
    [InlineData("4,2,4", 5, 8, "4:5 2:5")]
    public void By_default_every_batch_size_is_warmed_the_ends_in_full(string given, int iterations, int maxBatch, string expected)
    {
        var steps = WarmupPlan.For(new WarmupOptions { BatchSizes = given, Iterations = iterations }, maxBatch);

        Assert.Equal(expected, string.Join(' ', steps.Select(s => $"{s.BatchSize}:{s.Runs}{(s.WithinBudgetOnly ? "?" : "")}")));
    }

    [Fact]
    public async Task Warm_up_runs_every_batch_size_before_ready_and_is_not_counted_as_serving()
    {
        var logs = new LogCapture();
        await using var pod = await PodServer.StartAsync(TestModels.Mlp, new Dictionary<string, string?> { ["Batching:MaxBatchSize"] = "5", ["Model:Instances"] = "1" }, logs: logs);

        var text = await pod.MetricsTextAsync();
        for (var size = 1; size <= 5; size++)
        {
            Assert.Contains($"{PodMetrics.BatchServiceTime}{{{PodMetrics.ModelLabel}=\"mlp\",{PodMetrics.ModelVersionLabel}=\"1\",{PodMetrics.BatchSizeLabel}=\"{size}\"}}", text);
        }
        Assert.Contains(logs.Lines, l => l.Contains("Warm-up of instance 0 ran batch sizes 1,2,3,4,5 in ", StringComparison.Ordinal));
        Assert.Equal(0, await pod.MetricAsync($"{PodMetrics.BatchSize}_count{{{PodMetrics.ModelLabel}=\"mlp\"}}"));
        Assert.Equal(0, await pod.MetricAsync($"{PodMetrics.RequestDuration}_count{{{PodMetrics.ModelLabel}=\"mlp\"}}"));
    }
}
