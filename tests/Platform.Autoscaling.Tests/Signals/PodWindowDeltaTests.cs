using System.Collections.Immutable;
using Platform.Operator.Autoscaling.Signals;
using static Platform.Autoscaling.Tests.Signals.SignalTestData;

namespace Platform.Autoscaling.Tests.Signals;

public class PodWindowDeltaTests
{
    [Fact]
    public void Differences_counts_sum_buckets_and_rejections()
    {
        var earlier = Snapshot("p", 0, Repeat(0.01, 10), rejections: 2);
        var later = Snapshot("p", 5, Repeat(0.01, 10).Concat(Repeat(0.2, 4)), rejections: 5);

        var delta = PodWindowDelta.Between(earlier, later);

        Assert.Equal(TimeSpan.FromSeconds(5), delta.Elapsed);
        Assert.Equal(4, delta.Requests);
        Assert.Equal(0.8, delta.LatencySum, 10);
        Assert.Equal(3, delta.OverloadRejections);
        Assert.Equal(0, delta.BucketIncreases[0.1]);
        Assert.Equal(4, delta.BucketIncreases[0.2]);
        Assert.Equal(4, delta.BucketIncreases[double.PositiveInfinity]);
    }

    [Fact]
    public void A_restarted_container_counts_its_new_values_as_the_increase()
    {
        // 1000 requests before the restart; 30 after, some of them in buckets that had
        // fewer before, some in buckets that had more: the whole series is reset.
        var earlier = Snapshot("p", 0, Repeat(0.01, 1000).Concat(Repeat(2.0, 2)), rejections: 50);
        var later = Snapshot("p", 5, Repeat(0.01, 20).Concat(Repeat(3.0, 10)), rejections: 4);

        var delta = PodWindowDelta.Between(earlier, later);

        Assert.Equal(30, delta.Requests);
        Assert.Equal(20 * 0.01 + 30, delta.LatencySum, 10);
        Assert.Equal(20, delta.BucketIncreases[0.01]);
        Assert.Equal(20, delta.BucketIncreases[2.5]);
        Assert.Equal(30, delta.BucketIncreases[double.PositiveInfinity]);
        Assert.Equal(4, delta.OverloadRejections);
    }

    [Fact]
    public void A_series_that_appeared_since_the_earlier_scrape_counts_in_full()
    {
        var earlier = new PodMetricsSnapshot("p", T0, 0, 0, ImmutableDictionary<string, HistogramSeries>.Empty, 0);
        var later = Snapshot("p", 5, Repeat(0.05, 3));

        var delta = PodWindowDelta.Between(earlier, later);

        Assert.Equal(3, delta.Requests);
        Assert.Equal(3, delta.BucketIncreases[0.05]);
    }

    [Fact]
    public void Sums_over_series_of_different_models()
    {
        var a = Series(Repeat(0.01, 2));
        var b = Series(Repeat(0.5, 3));
        var earlier = new PodMetricsSnapshot("p", T0, 0, 0, ImmutableDictionary<string, HistogramSeries>.Empty, 0);
        var later = earlier with
        {
            ScrapedAt = T0.AddSeconds(1),
            RequestDuration = ImmutableDictionary<string, HistogramSeries>.Empty.Add("a", a).Add("b", b),
        };

        var delta = PodWindowDelta.Between(earlier, later);

        Assert.Equal(5, delta.Requests);
        Assert.Equal(2, delta.BucketIncreases[0.01]);
        Assert.Equal(5, delta.BucketIncreases[0.5]);
    }

    [Fact]
    public void Refuses_snapshots_of_different_pods_or_out_of_order()
    {
        Assert.Throws<ArgumentException>(() => PodWindowDelta.Between(Snapshot("a", 0, []), Snapshot("b", 5, [])));
        Assert.Throws<ArgumentException>(() => PodWindowDelta.Between(Snapshot("a", 5, []), Snapshot("a", 5, [])));
    }
}
