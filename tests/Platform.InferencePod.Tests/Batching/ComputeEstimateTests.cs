using Platform.InferencePod.Batching;

namespace Platform.InferencePod.Tests.Batching;

public sealed class ComputeEstimateTests
{
    private const int MaxBatch = 8;

    private static Func<int, double?> Curve(params (int Size, double Seconds)[] points) =>
        size => points.Where(p => p.Size == size).Select(p => (double?)p.Seconds).FirstOrDefault();

    [Fact]
    public void Nothing_to_compute_takes_no_time() =>
        Assert.Equal(0, ComputeEstimate.Seconds(0, MaxBatch, Curve((1, 0.01), (8, 0.05)), 0.001));

    [Fact]
    public void A_measured_size_costs_what_was_measured() =>
        Assert.Equal(0.03, ComputeEstimate.Seconds(4, MaxBatch, Curve((1, 0.01), (4, 0.03), (8, 0.05)), 0.001), 9);

    [Fact]
    public void A_queue_runs_as_full_batches_then_one_partial_batch() =>
        // 19 rows = 2 × 8 (0.05 each) + 3 (between 1 and 8: 0.01 + 2 × 0.04 / 7)
        Assert.Equal(2 * 0.05 + 0.01 + 2 * 0.04 / 7, ComputeEstimate.Seconds(19, MaxBatch, Curve((1, 0.01), (8, 0.05)), 0.001), 9);

    [Fact]
    public void A_flat_gpu_curve_makes_a_small_batch_cost_a_full_one() =>
        Assert.Equal(0.003, ComputeEstimate.Seconds(5, 32, Curve((1, 0.003), (32, 0.003)), 0.001), 9);

    [Fact]
    public void With_only_the_full_batch_measured_rows_cost_their_share_of_it() =>
        Assert.Equal(0.025, ComputeEstimate.Seconds(4, MaxBatch, Curve((8, 0.05)), 0.001), 9);

    [Fact]
    public void Before_any_measurement_the_fallback_cost_per_row_applies() =>
        Assert.Equal(0.012, ComputeEstimate.Seconds(12, MaxBatch, Curve(), 0.001), 9);

    [Fact]
    public void The_estimate_never_falls_as_rows_are_added()
    {
        var curve = Curve((1, 0.004), (3, 0.009), (8, 0.02));
        var previous = 0.0;
        for (var rows = 0; rows <= 100; rows++)
        {
            var seconds = ComputeEstimate.Seconds(rows, MaxBatch, curve, 0.001);
            Assert.True(seconds >= previous, $"{rows} rows: {seconds} < {previous}");
            previous = seconds;
        }
    }
}

public sealed class ComputeCorrectionTests
{
    [Theory]
    // current, observed, predicted → next
    [InlineData(1.0, 0.010, 0.010, 1.0)]       // runs as predicted: no change
    [InlineData(1.0, 0.020, 0.010, 1.25)]      // twice as slow: a quarter of the way there
    [InlineData(1.0, 0.005, 0.010, 0.875)]     // faster
    [InlineData(7.9, 10.0, 0.010, 8.0)]        // bounded above
    [InlineData(0.3, 0.0, 0.010, 0.25)]        // bounded below
    [InlineData(1.5, double.NaN, 0.010, 1.5)]  // a run without a time changes nothing
    [InlineData(1.5, 0.010, 0.0, 1.5)]         // nor one without a prediction
    public void Moves_a_quarter_of_the_way_to_the_last_runs_ratio(double current, double observed, double predicted, double expected) =>
        Assert.Equal(expected, ComputeEstimate.NextCorrection(current, observed, predicted), 9);

    [Fact]
    public void A_lasting_slowdown_is_followed_within_a_few_runs()
    {
        var correction = 1.0;
        var runs = 0;
        while (correction < 1.9)
        {
            correction = ComputeEstimate.NextCorrection(correction, 0.020, 0.010);
            runs++;
        }
        Assert.InRange(runs, 5, 12);
    }
}
