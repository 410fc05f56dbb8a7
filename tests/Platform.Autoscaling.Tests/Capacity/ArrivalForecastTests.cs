using Platform.Operator.Autoscaling.Capacity;
using Platform.Operator.Autoscaling.Policy;

namespace Platform.Autoscaling.Tests.Capacity;

public sealed class ArrivalForecastTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_steady_rate_forecasts_itself()
    {
        var f = ArrivalForecast.Start(T0, 100);
        for (var t = 15; t <= 300; t += 15) f = f.Observe(T0.AddSeconds(t), 100);
        Assert.Equal(100, f.Ahead(TimeSpan.FromSeconds(60)), 6);
    }

    [Fact]
    public void A_ramp_is_followed_and_projected_over_the_lead()
    {
        var f = ArrivalForecast.Start(T0, 100);
        for (var t = 15; t <= 300; t += 15) f = f.Observe(T0.AddSeconds(t), 100 + t);
        // 1/s per second: 60 s ahead of 400 is about 460.
        Assert.InRange(f.Ahead(TimeSpan.FromSeconds(60)), 440, 470);
    }

    [Fact]
    public void The_trend_is_capped_and_a_fall_is_never_projected_below_the_level()
    {
        var rising = ArrivalForecast.Start(T0, 10).Observe(T0.AddSeconds(1), 1000);
        Assert.True(rising.Ahead(TimeSpan.FromMinutes(10)) <= rising.Level * (1 + ArrivalForecast.MaxTrendGrowth) + 1e-9);
        var falling = ArrivalForecast.Start(T0, 1000).Observe(T0.AddSeconds(15), 100);
        Assert.Equal(falling.Level, falling.Ahead(TimeSpan.FromSeconds(60)), 9);
    }

    [Fact]
    public void Under_forecasts_at_the_lead_time_set_the_error_and_over_forecasts_do_not()
    {
        var lead = TimeSpan.FromSeconds(30);
        var f = ArrivalForecast.Start(T0, 100).Remember(lead);
        f = f.Observe(T0.AddSeconds(30), 125).Remember(lead);
        Assert.Equal(0.25, f.RelativeError!.Value, 6);

        var g = ArrivalForecast.Start(T0, 100).Remember(lead).Observe(T0.AddSeconds(30), 75);
        Assert.Equal(0, g.RelativeError!.Value, 9);
        Assert.Null(ArrivalForecast.Start(T0, 100).RelativeError);
    }

    [Theory]
    [InlineData(100, 500)] // a step up
    [InlineData(500, 100)] // a step down
    [InlineData(100, 131)] // just past the shift threshold
    public void A_step_moves_the_level_to_the_rate_drops_the_trend_and_is_not_scored(double before, double after)
    {
        var lead = TimeSpan.FromSeconds(30);
        var f = ArrivalForecast.Start(T0, before).Remember(lead);
        for (var t = 15; t <= 120; t += 15) f = f.Observe(T0.AddSeconds(t), before).Remember(lead);
        var error = f.RelativeError;

        var shifted = f.Observe(T0.AddSeconds(135), after);

        Assert.Equal((after, 0.0), (shifted.Level, shifted.Trend));
        Assert.Equal(after, shifted.Ahead(lead), 9);
        Assert.Empty(shifted.Pending);
        Assert.Equal(error, shifted.RelativeError);
    }

    [Theory]
    [InlineData(100, 129)] // inside the threshold: Holt's update, scored
    [InlineData(100, 71)]
    public void A_change_inside_the_shift_threshold_is_smoothed(double before, double after)
    {
        var f = ArrivalForecast.Start(T0, before).Observe(T0.AddSeconds(15), after);
        Assert.Equal(before + (ArrivalForecast.LevelWeight * (after - before)), f.Level, 9);
    }

    [Fact]
    public void A_ramp_of_a_fifth_per_observation_keeps_its_trend()
    {
        // The fastest ramp of the simulated traces at a 15 s scrape: ×5 over 300 s from the base.
        var f = ArrivalForecast.Start(T0, 100);
        for (var t = 15; t <= 120; t += 15) f = f.Observe(T0.AddSeconds(t), 100 + (t * 400.0 / 300));
        Assert.True(f.Trend > 0.5, $"trend {f.Trend}");
    }

    [Fact]
    public void A_clock_step_back_restarts_the_forecast()
    {
        var f = ArrivalForecast.Start(T0, 100).Observe(T0.AddSeconds(15), 200).Observe(T0.AddSeconds(5), 50);
        Assert.Equal((50.0, 0.0), (f.Level, f.Trend));
    }

    [Theory]
    [InlineData(1.0, 0.2, 0.2, 500, false, 1.0)] // observed equals predicted
    [InlineData(1.0, 0.4, 0.2, 500, false, 1.148698355)] // ratio 2, one fifth of the way in log space
    [InlineData(1.0, 0.4, 0.2, 50, false, 1.0)] // too few requests
    [InlineData(1.0, 0.4, 0.2, 500, true, 1.0)] // refusals: the p95 is of what was let in
    [InlineData(1.0, double.PositiveInfinity, 0.2, 500, false, 1.0)]
    [InlineData(4.0, 100, 0.001, 500, false, 4.0)] // clamped
    [InlineData(0.8, 0.001, 100, 500, false, 0.8)]
    public void The_capacity_correction_follows_observed_over_predicted_p95(double previous, double observed, double predicted, double answered, bool refused, double expected) =>
        Assert.Equal(expected, CapacityCorrection.Update(previous, observed, predicted, answered, refused), 6);
}
