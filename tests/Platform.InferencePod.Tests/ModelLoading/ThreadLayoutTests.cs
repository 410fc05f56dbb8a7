using Platform.InferencePod.Configuration;
using Platform.InferencePod.Model;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.ModelLoading;

public sealed class ThreadLayoutTests
{
    [Theory]
    [InlineData(2, 1, 2)]
    [InlineData(4, 2, 2)]
    [InlineData(64, 4, 16)]
    [InlineData(3, 2, 1)]
    [InlineData(1, 4, 1)]
    public void By_default_the_allowed_cpus_are_shared_among_the_instances(int cpus, int instances, int expected) =>
        Assert.Equal(expected, ThreadLayout.IntraOpThreads(new ModelOptions { Instances = instances }, cpus));

    [Fact]
    public void A_configured_thread_count_wins() =>
        Assert.Equal(3, ThreadLayout.IntraOpThreads(new ModelOptions { IntraOpThreads = 3, Instances = 2 }, 64));

    [Fact]
    public async Task A_default_pod_computes_on_every_cpu_it_may_use_and_says_so()
    {
        await using var pod = await PodServer.StartAsync(TestModels.Mlp);
        var instances = await pod.MetricAsync("platform_model_instances{model=\"mlp\"}");
        var threads = await pod.MetricAsync("platform_model_intra_op_threads{model=\"mlp\"}");
        Assert.Equal(1, instances);
        // Environment.ProcessorCount is what the container may use (CPU quota and CPU set).
        Assert.Equal(Environment.ProcessorCount, instances * threads);
    }
}
