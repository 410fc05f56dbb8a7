using Platform.Operator.Autoscaling.Signals;
using static Platform.Autoscaling.Tests.Signals.SignalTestData;

namespace Platform.Autoscaling.Tests.Signals;

public class SignalCalculatorTests
{
    private static readonly SignalSettings Settings = new()
    {
        ScrapeInterval = TimeSpan.FromSeconds(5),
        StaleAfterIntervals = 3,
        StableWindow = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public void Merges_bucket_increases_across_pods_before_taking_the_quantile()
    {
        // Pod a answered 90 fast requests in the window, pod b 10 slow ones. Per pod p95s
        // would be 0.01 and 0.5; the service's p95 (rank 95 of 100) lies among b's requests.
        var history = PodScrapeHistory.Empty
            .Record(Snapshot("a", 0, Repeat(0.01, 100)), Settings.Retention)
            .Record(Snapshot("a", 30, Repeat(0.01, 190)), Settings.Retention)
            .Record(Snapshot("b", 0, Repeat(0.5, 5)), Settings.Retention)
            .Record(Snapshot("b", 30, Repeat(0.5, 15)), Settings.Retention);

        var signals = Compute(30, history, ("a", true), ("b", true));

        var expected = HistogramQuantile.Compute(0.95, Bounds, Bounds.Select(b => (b >= 0.01 ? 90.0 : 0) + (b >= 0.5 ? 10 : 0)).ToArray());
        Assert.Equal(expected, signals.Stable.LatencyQuantileSeconds!.Value, 12);
        Assert.InRange(signals.Stable.LatencyQuantileSeconds.Value, 0.4, 0.5);
        Assert.Equal(100.0 / 30, signals.Stable.RequestRate, 10);
    }

    [Fact]
    public void Uses_the_newest_scrape_at_least_a_window_old_as_the_stable_baseline_and_the_previous_as_the_short()
    {
        var history = PodScrapeHistory.Empty;
        for (var t = 0; t <= 60; t += 5)
        {
            // One request per second, each taking 2 s: two in flight on average.
            history = history.Record(Snapshot("a", t, Repeat(2.0, t), inFlight: 2), Settings.Retention);
        }

        var signals = Compute(60, history, ("a", true));

        Assert.Equal(1, signals.Stable.RequestRate, 10);
        Assert.Equal(2, signals.Stable.AverageInFlight, 10);
        Assert.Equal(1, signals.Short.RequestRate, 10);
        Assert.Equal(1, signals.Stable.PodsWithHistory);
    }

    [Fact]
    public void Reports_arrivals_window_lengths_and_each_pod_apart()
    {
        // Pod a: 50 answered, 20 refused and 10 more held over 10 s: 8 arrivals per second.
        var history = PodScrapeHistory.Empty
            .Record(Snapshot("a", 0, Repeat(0.1, 100), inFlight: 5, rejections: 10), Settings.Retention)
            .Record(Snapshot("a", 10, Repeat(0.1, 150), inFlight: 15, rejections: 30), Settings.Retention)
            .Record(Snapshot("b", 10, [], inFlight: 2), Settings.Retention);

        var signals = Compute(10, history, ("a", true), ("b", true));

        Assert.Equal(8, signals.Short.ArrivalRate, 10);
        Assert.Equal(5, signals.Short.RequestRate, 10);
        Assert.Equal(2, signals.Short.OverloadRejectionRate, 10);
        Assert.Equal(10, signals.Short.Seconds, 10);
        Assert.Equal(["a", "b"], signals.Pods.Select(p => p.Name));
        var a = signals.Pods[0];
        Assert.Equal(15, a.InFlight);
        Assert.Equal(8, a.Short!.ArrivalRate, 10);
        Assert.Equal(0.5, a.Stable!.AverageInFlight, 10);
        Assert.Null(signals.Pods[1].Stable);
    }

    [Fact]
    public void A_young_pod_uses_its_oldest_scrape_for_the_stable_window()
    {
        var history = PodScrapeHistory.Empty
            .Record(Snapshot("a", 0, Repeat(0.1, 0)), Settings.Retention)
            .Record(Snapshot("a", 5, Repeat(0.1, 10)), Settings.Retention)
            .Record(Snapshot("a", 10, Repeat(0.1, 30)), Settings.Retention);

        var signals = Compute(10, history, ("a", true));

        Assert.Equal(3, signals.Stable.RequestRate, 10);
        Assert.Equal(4, signals.Short.RequestRate, 10);
    }

    [Fact]
    public void A_pod_with_one_scrape_contributes_its_gauges_but_no_delta()
    {
        var history = PodScrapeHistory.Empty
            .Record(Snapshot("old", 0, Repeat(0.1, 10)), Settings.Retention)
            .Record(Snapshot("old", 5, Repeat(0.1, 20), queue: 1, inFlight: 2), Settings.Retention)
            .Record(Snapshot("new", 5, Repeat(0.1, 500), queue: 3, inFlight: 7), Settings.Retention);

        var signals = Compute(5, history, ("old", true), ("new", true));

        Assert.Equal(2, signals.MeasuredPods);
        Assert.Equal(4, signals.QueueDepth);
        Assert.Equal(9, signals.InFlight);
        Assert.Equal(1, signals.Stable.PodsWithHistory);
        Assert.Equal(2, signals.Stable.RequestRate, 10);
        Assert.Equal((10 * 0.1 / 5) + 7, signals.Stable.AverageInFlight, 10);
    }

    [Fact]
    public void A_restarted_pod_does_not_produce_negative_rates()
    {
        var history = PodScrapeHistory.Empty
            .Record(Snapshot("a", 0, Repeat(0.1, 1000)), Settings.Retention)
            .Record(Snapshot("a", 5, Repeat(0.1, 25)), Settings.Retention);

        var signals = Compute(5, history, ("a", true));

        Assert.Equal(5, signals.Short.RequestRate, 10);
        // All 25 in (0.08, 0.1]: rank 23.75 interpolates to 0.08 + 0.02 * 23.75 / 25.
        Assert.Equal(0.099, signals.Short.LatencyQuantileSeconds!.Value, 10);
    }

    [Fact]
    public void Ready_pods_without_a_fresh_scrape_are_missing_and_unready_pods_are_counted_apart()
    {
        var history = PodScrapeHistory.Empty
            .Record(Snapshot("fresh", 40, [], inFlight: 1), Settings.Retention)
            .Record(Snapshot("stale", 24, [], inFlight: 50), Settings.Retention)
            .Record(Snapshot("starting", 40, [], inFlight: 9), Settings.Retention);

        var signals = Compute(40, history, ("fresh", true), ("stale", true), ("never", true), ("starting", false));

        Assert.Equal(3, signals.ReadyPods);
        Assert.Equal(1, signals.NotReadyPods);
        Assert.Equal(["stale", "never"], signals.MissingPods.ToArray());
        Assert.Equal(1, signals.MeasuredPods);
        Assert.Equal(1, signals.InFlight);
        Assert.True(signals.HasData);
    }

    [Fact]
    public void A_scrape_exactly_at_the_staleness_limit_still_counts()
    {
        var history = PodScrapeHistory.Empty.Record(Snapshot("a", 25, []), Settings.Retention);
        Assert.Empty(Compute(40, history, ("a", true)).MissingPods);
    }

    [Fact]
    public void No_measured_pod_means_no_data()
    {
        var signals = Compute(0, PodScrapeHistory.Empty, ("a", true), ("b", false));

        Assert.False(signals.HasData);
        Assert.Equal(1, signals.ReadyPods);
        Assert.Equal(1, signals.NotReadyPods);
        Assert.Null(signals.Stable.LatencyQuantileSeconds);
    }

    [Fact]
    public void A_window_without_requests_has_no_latency_quantile()
    {
        var history = PodScrapeHistory.Empty
            .Record(Snapshot("a", 0, Repeat(0.1, 3)), Settings.Retention)
            .Record(Snapshot("a", 5, Repeat(0.1, 3)), Settings.Retention);

        var signals = Compute(5, history, ("a", true));

        Assert.Null(signals.Short.LatencyQuantileSeconds);
        Assert.Equal(0, signals.Short.RequestRate);
    }

    [Fact]
    public void Invalid_settings_are_refused_with_every_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => SignalCalculator.Compute(
            T0, [], PodScrapeHistory.Empty, new SignalSettings { ScrapeInterval = TimeSpan.Zero, LatencyQuantile = 1 }));
        Assert.Contains("scrape interval", error.Message, StringComparison.Ordinal);
        Assert.Contains("latency quantile", error.Message, StringComparison.Ordinal);
    }

    private static ScalingSignals Compute(double nowSeconds, PodScrapeHistory history, params (string Name, bool Ready)[] pods) =>
        SignalCalculator.Compute(T0.AddSeconds(nowSeconds), pods.Select(p => new PodState(p.Name, p.Ready)).ToList(), history, Settings);
}
