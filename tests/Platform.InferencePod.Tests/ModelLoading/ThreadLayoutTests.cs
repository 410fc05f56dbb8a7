using System.Globalization;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Model;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.ModelLoading;

public sealed class ThreadLayoutTests
{
    [Theory]
    [InlineData(2, "1x2,2x1")]
    [InlineData(3, "1x3,3x1")]
    [InlineData(4, "1x4,2x2,4x1")]
    [InlineData(6, "1x6,2x3,3x2,6x1")]
    [InlineData(7, "1x7,7x1")]
    [InlineData(12, "1x12,2x6,4x3,6x2")]
    [InlineData(16, "1x16,2x8,4x4,8x2")]
    [InlineData(64, "1x64,2x32,4x16,8x8")]
    public void Unset_the_candidates_are_the_divisor_pairs_of_the_allowed_cpus_at_most_four(int cpus, string expected)
    {
        var (candidates, source) = ThreadLayouts.Candidates(new ModelOptions(), cpus);

        Assert.Equal(ThreadLayoutSource.Measured, source);
        Assert.Equal(expected, string.Join(',', candidates));
        Assert.All(candidates, c => Assert.Equal(cpus, c.Cpus));
    }

    [Theory]
    // instances, threads, provider, search, cpus -> layout, source
    [InlineData(2, 0, "cpu", true, 2, "2x1", ThreadLayoutSource.Configured)]
    [InlineData(2, 0, "cpu", true, 64, "2x32", ThreadLayoutSource.Configured)]
    [InlineData(2, 0, "cpu", true, 3, "2x1", ThreadLayoutSource.Configured)]
    [InlineData(4, 0, "cpu", true, 1, "4x1", ThreadLayoutSource.Configured)]
    [InlineData(0, 3, "cpu", true, 64, "1x3", ThreadLayoutSource.Configured)]
    [InlineData(2, 3, "cpu", true, 64, "2x3", ThreadLayoutSource.Configured)]
    [InlineData(0, 0, "cuda", true, 8, "1x8", ThreadLayoutSource.Cuda)]
    [InlineData(0, 0, "cpu", false, 8, "1x8", ThreadLayoutSource.SearchOff)]
    [InlineData(0, 0, "cpu", true, 1, "1x1", ThreadLayoutSource.OnlyOne)]
    [InlineData(0, 0, "cpu", true, 0, "1x1", ThreadLayoutSource.OnlyOne)]
    public void Settings_the_cuda_provider_or_one_cpu_fix_a_single_layout(int instances, int threads, string provider, bool search, int cpus, string expected, ThreadLayoutSource expectedSource)
    {
        var options = new ModelOptions { Instances = instances, IntraOpThreads = threads, ExecutionProvider = provider, ThreadLayoutSearch = search };

        var (candidates, source) = ThreadLayouts.Candidates(options, cpus);

        Assert.Equal(expected, Assert.Single(candidates).ToString());
        Assert.Equal(expectedSource, source);
    }

    [Theory]
    // Measured on a 2-core machine: mobilenet_v2 at batch 8 and resnet18.
    [InlineData("1x2:252,250,240 2x1:318,300,310", "2x1")]
    [InlineData("1x2:97,90 2x1:96,95", "1x2")]
    // More instances must win by over 15%; the best sample counts, not the mean.
    [InlineData("1x2:100 2x1:106", "1x2")]
    [InlineData("1x2:100 2x1:114", "1x2")]
    [InlineData("1x2:100 2x1:116", "2x1")]
    [InlineData("1x2:100,20 2x1:90,90", "1x2")]
    [InlineData("1x4:50 2x2:80 4x1:90", "2x2")]
    [InlineData("1x4:50 2x2:80 4x1:93", "4x1")]
    [InlineData("2x1:10", "2x1")]
    public void The_fastest_layout_wins_unless_one_with_fewer_instances_is_within_fifteen_percent(string measured, string expected)
    {
        var throughputs = measured.Split(' ').Select(m =>
        {
            var (layout, samples) = (m.Split(':')[0].Split('x'), m.Split(':')[1].Split(','));
            return new LayoutThroughput(new ThreadLayout(int.Parse(layout[0], CultureInfo.InvariantCulture), int.Parse(layout[1], CultureInfo.InvariantCulture)),
                samples.Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray());
        }).ToArray();

        Assert.Equal(expected, ThreadLayouts.Pick(throughputs).ToString());
    }

    [Fact]
    public void Nothing_measured_is_a_clear_error() =>
        Assert.Contains("no layout was measured", Assert.Throws<ArgumentException>(() => ThreadLayouts.Pick([])).Message);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task By_default_the_pod_computes_on_every_cpu_it_may_use_and_says_how(int cpus)
    {
        // DOTNET_PROCESSOR_COUNT sets Environment.ProcessorCount, as a container's CPU quota or CPU set does.
        await using var pod = PodProcess.Start(new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = cpus.ToString(CultureInfo.InvariantCulture) },
            $"--Model:Path={TestModels.Mlp}", "--Warmup:Iterations=1");
        await PodProcess.ExplainingFailuresAsync([pod], async () =>
        {
            await pod.WaitReadyAsync(TimeSpan.FromSeconds(60));
            var metrics = await pod.Client.GetStringAsync("/metrics");
            var instances = Sample(metrics, "platform_model_instances{model=\"mlp\"}");
            var threads = Sample(metrics, "platform_model_intra_op_threads{model=\"mlp\"}");

            Assert.Equal(cpus, instances * threads);
            var line = Assert.Single(pod.Stdout.Split('\n'), l => l.Contains("Thread layout", StringComparison.Ordinal));
            Assert.Contains($"{instances} instance(s) x {threads} intra-op thread(s) on {cpus} allowed CPU(s)", line);
            Assert.Contains(cpus == 1 ? "the only layout of one CPU" : "the fastest measured, in ", line);
        });
    }

    [Fact]
    public async Task Set_instances_keep_their_meaning_and_share_the_cpus()
    {
        await using var pod = await PodServer.StartAsync(TestModels.Mlp, new Dictionary<string, string?> { ["Model:Instances"] = "2", ["Warmup:Iterations"] = "1" });

        Assert.Equal(2, await pod.MetricAsync("platform_model_instances{model=\"mlp\"}"));
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), await pod.MetricAsync("platform_model_intra_op_threads{model=\"mlp\"}"));
    }

    private static double Sample(string metrics, string name)
    {
        var line = metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
