using CsCheck;
using Platform.Operator.Autoscaling.Capacity;

namespace Platform.Autoscaling.Tests.Capacity;

public sealed class PodCapacityModelTests
{
    /// <summary>CPU-like: batching barely helps (3.3 ms at 1, 22.2 ms at 8).</summary>
    private static readonly Dictionary<int, double> Cpu = new() { [1] = 0.0033, [8] = 0.0222 };

    /// <summary>GPU-like: a batch of 32 costs about what one request costs.</summary>
    private static readonly Dictionary<int, double> Gpu = new() { [1] = 0.00223, [32] = 0.00287 };

    [Theory]
    [InlineData(1, 0.0033)]
    [InlineData(8, 0.0222)]
    [InlineData(4, 0.0033 + (0.0189 * 3 / 7))]
    [InlineData(16, 0.0444)] // past the largest: its time per row
    public void Service_time_interpolates_between_measured_sizes(int rows, double expected) =>
        Assert.Equal(expected, PodCapacityModel.ServiceSeconds(Cpu, rows), 9);

    [Fact]
    public void Only_sizes_above_the_smallest_measured_take_its_time()
    {
        Assert.Equal(0.01, PodCapacityModel.ServiceSeconds(new Dictionary<int, double> { [4] = 0.01 }, 2), 9);
    }

    [Fact]
    public void Capacity_at_the_slo_sits_below_the_pods_full_throughput_and_grows_with_the_target()
    {
        var shape = new BatcherShape(8, TimeSpan.Zero, 1);
        var max = PodCapacityModel.MaxThroughput(Cpu, shape);
        Assert.Equal(8 / 0.0222, max, 6);
        var at100 = PodCapacityModel.RateAtSlo(Cpu, shape, TimeSpan.FromMilliseconds(100));
        var at30 = PodCapacityModel.RateAtSlo(Cpu, shape, TimeSpan.FromMilliseconds(30));
        Assert.InRange(at100, 0.8 * max, max);
        Assert.InRange(at30, 0.3 * max, at100);
        // The model's own p95 at the rate it returns meets the target.
        Assert.True(PodCapacityModel.PredictP95(Cpu, shape, at100) <= 0.100);
        Assert.True(PodCapacityModel.PredictP95(Cpu, shape, Math.Min(max * 0.9999, at100 * 1.05)) > 0.100 * 0.9);
    }

    [Fact]
    public void A_gpu_like_curve_gets_most_of_its_large_batch_throughput()
    {
        var shape = new BatcherShape(32, TimeSpan.FromMilliseconds(2), 1);
        var max = PodCapacityModel.MaxThroughput(Gpu, shape);
        var atSlo = PodCapacityModel.RateAtSlo(Gpu, shape, TimeSpan.FromMilliseconds(25));
        Assert.InRange(atSlo, 0.85 * max, max);
        // At a tenth of the load the batcher's delay and one run are the latency.
        Assert.InRange(PodCapacityModel.PredictP95(Gpu, shape, max / 10), 0.002, 0.008);
    }

    [Fact]
    public void Instances_add_capacity_and_a_target_below_one_run_gives_none()
    {
        var one = PodCapacityModel.RateAtSlo(Cpu, new BatcherShape(8, TimeSpan.Zero, 1), TimeSpan.FromMilliseconds(100));
        var two = PodCapacityModel.RateAtSlo(Cpu, new BatcherShape(8, TimeSpan.Zero, 2), TimeSpan.FromMilliseconds(100));
        // Two instances share one queue, so they gain a little more than twice.
        Assert.InRange(two, 1.9 * one, 2.2 * one);
        Assert.Equal(0, PodCapacityModel.RateAtSlo(Cpu, new BatcherShape(8, TimeSpan.Zero, 1), TimeSpan.FromMilliseconds(2)));
    }

    [Fact]
    public void A_rate_past_the_pods_throughput_predicts_an_unbounded_p95()
    {
        var shape = new BatcherShape(8, TimeSpan.Zero, 1);
        Assert.Equal(double.PositiveInfinity, PodCapacityModel.PredictP95(Cpu, shape, PodCapacityModel.MaxThroughput(Cpu, shape) * 1.5));
    }

    [Fact]
    public void Slower_pods_never_get_more_capacity()
    {
        Gen.Select(Gen.Double[0.0005, 0.02], Gen.Double[1, 10], Gen.Double[1, 3], Gen.Int[1, 32], Gen.Int[5, 500]).Sample((one, growth, slower, maxBatch, targetMs) =>
        {
            var curve = new Dictionary<int, double> { [1] = one, [32] = one * growth * 4 };
            var slow = curve.ToDictionary(kv => kv.Key, kv => kv.Value * slower);
            var shape = new BatcherShape(maxBatch, TimeSpan.FromMilliseconds(1), 1);
            var target = TimeSpan.FromMilliseconds(targetMs);
            return PodCapacityModel.RateAtSlo(slow, shape, target) <= PodCapacityModel.RateAtSlo(curve, shape, target) * 1.02;
        }, iter: 60);
    }
}
