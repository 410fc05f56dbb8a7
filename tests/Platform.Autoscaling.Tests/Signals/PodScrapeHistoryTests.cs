using Platform.Operator.Autoscaling.Signals;
using static Platform.Autoscaling.Tests.Signals.SignalTestData;

namespace Platform.Autoscaling.Tests.Signals;

public class PodScrapeHistoryTests
{
    [Fact]
    public void Keeps_only_what_the_retention_window_needs_plus_its_baseline()
    {
        var history = PodScrapeHistory.Empty;
        for (var t = 0; t <= 100; t += 10)
        {
            history = history.Record(Snapshot("a", t, []), TimeSpan.FromSeconds(35));
        }

        // Window start is 65: 60 is the baseline, 70..100 are inside.
        Assert.Equal([60.0, 70, 80, 90, 100], history.For("a").Select(s => (s.ScrapedAt - T0).TotalSeconds));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(3)]
    public void A_snapshot_that_is_not_newer_starts_the_pod_over_as_after_a_clock_step_back(double at)
    {
        var history = PodScrapeHistory.Empty
            .Record(Snapshot("a", 5, []), TimeSpan.FromSeconds(30))
            .Record(Snapshot("a", 10, []), TimeSpan.FromSeconds(30))
            .Record(Snapshot("b", 10, []), TimeSpan.FromSeconds(30));

        history = history.Record(Snapshot("a", at, []), TimeSpan.FromSeconds(30));

        Assert.Equal([at], history.For("a").Select(s => (s.ScrapedAt - T0).TotalSeconds));
        Assert.Single(history.For("b"));
        // The pod's history grows again from the new time on.
        history = history.Record(Snapshot("a", at + 5, []), TimeSpan.FromSeconds(30));
        Assert.Equal(2, history.For("a").Count);
    }

    [Fact]
    public void Forgets_pods_that_are_gone_and_leaves_the_original_unchanged()
    {
        var history = PodScrapeHistory.Empty
            .Record(Snapshot("a", 0, []), TimeSpan.FromSeconds(30))
            .Record(Snapshot("b", 0, []), TimeSpan.FromSeconds(30));

        var retained = history.RetainOnly(["b"]);

        Assert.Equal(["b"], retained.PodNames);
        Assert.Equal(2, history.PodNames.Count());
        Assert.Empty(retained.For("a"));
    }
}
