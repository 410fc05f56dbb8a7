using CsCheck;
using Platform.Contracts;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.Autoscaling.Tests.Signals;

public class HistogramQuantileTests
{
    private static readonly double[] Bounds = [0.1, 0.2, 0.4, double.PositiveInfinity];

    [Theory]
    [InlineData(0.5, 0.1)] // rank 10 is the top of the first bucket
    [InlineData(0.25, 0.05)] // first bucket starts at 0
    [InlineData(0.75, 0.1625)] // rank 15: 5 of the 8 observations in (0.1, 0.2]
    [InlineData(0.9, 0.2)] // rank 18 is the top of the second bucket
    [InlineData(0.95, 0.4)] // rank 19 falls in +Inf: the highest finite bound
    [InlineData(1.0, 0.4)]
    public void Interpolates_like_promql(double q, double expected)
    {
        Assert.Equal(expected, HistogramQuantile.Compute(q, Bounds, [10, 18, 18, 20]), 10);
    }

    [Fact]
    public void Interpolates_inside_a_middle_bucket()
    {
        // 100 observations: 50 under 0.1, 40 in (0.1,0.2], 10 in (0.2,0.4]. p95: rank 95,
        // 5 into the third bucket of 10: 0.2 + 0.2 * 0.5.
        Assert.Equal(0.3, HistogramQuantile.Compute(0.95, Bounds, [50, 90, 100, 100]), 10);
    }

    [Fact]
    public void No_observations_no_inf_bucket_or_a_single_bucket_give_nan()
    {
        Assert.True(double.IsNaN(HistogramQuantile.Compute(0.95, Bounds, [0, 0, 0, 0])));
        Assert.True(double.IsNaN(HistogramQuantile.Compute(0.95, [0.1, 0.2], [1, 2])));
        Assert.True(double.IsNaN(HistogramQuantile.Compute(0.95, [double.PositiveInfinity], [3])));
        Assert.True(double.IsNaN(HistogramQuantile.Compute(double.NaN, Bounds, [1, 2, 3, 4])));
    }

    [Fact]
    public void Quantiles_outside_zero_to_one_are_infinite()
    {
        Assert.Equal(double.NegativeInfinity, HistogramQuantile.Compute(-0.1, Bounds, [1, 2, 3, 4]));
        Assert.Equal(double.PositiveInfinity, HistogramQuantile.Compute(1.1, Bounds, [1, 2, 3, 4]));
    }

    [Fact]
    public void Non_monotonic_counts_are_raised_as_promql_does()
    {
        // The dip at 0.2 is lifted to 60, so the rank 57 lands in the first bucket.
        Assert.Equal(0.095, HistogramQuantile.Compute(0.95, Bounds, [60, 40, 60, 60]), 10);
    }

    [Fact]
    public void A_first_bucket_at_or_below_zero_returns_its_bound()
    {
        Assert.Equal(-1, HistogramQuantile.Compute(0.5, [-1, 1, double.PositiveInfinity], [10, 10, 10]));
    }

    [Fact]
    public void Estimate_lies_in_the_bucket_that_holds_the_true_quantile()
    {
        var bounds = PodMetrics.LatencyBuckets.Append(double.PositiveInfinity).ToArray();
        Gen.Double[0.0001, 20].Array[20, 400].Sample(latencies =>
        {
            var counts = bounds.Select(b => (double)latencies.Count(l => l <= b)).ToArray();
            var sorted = latencies.Order().ToArray();
            var rank = (int)Math.Ceiling(0.95 * sorted.Length) - 1;
            var truth = sorted[rank];
            var estimate = HistogramQuantile.Compute(0.95, bounds, counts);
            var upper = bounds.First(b => b >= truth);
            var lower = bounds.LastOrDefault(b => b < truth);
            return estimate >= lower - 1e-12 && estimate <= upper + 1e-12;
        });
    }
}
