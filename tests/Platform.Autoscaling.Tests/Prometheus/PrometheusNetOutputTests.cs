using Platform.Contracts;
using Platform.Operator.Autoscaling.Prometheus;
using Prometheus;

namespace Platform.Autoscaling.Tests.Prometheus;

/// <summary>
/// Parses what prometheus-net itself writes for the pod's metrics (the names and buckets of
/// the contract), so the parser is tied to the real producer rather than to hand-made text.
/// </summary>
public class PrometheusNetOutputTests
{
    [Fact]
    public async Task Parses_the_pod_metrics_as_prometheus_net_exports_them()
    {
        var registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(registry);
        factory.CreateGauge(PodMetrics.QueueDepth, "Requests waiting.").Set(7);
        factory.CreateGauge(PodMetrics.InFlight, "Requests admitted.").Set(12);
        var duration = factory.CreateHistogram(PodMetrics.RequestDuration, "End-to-end latency, seconds \\ answered.", new HistogramConfiguration
        {
            Buckets = PodMetrics.LatencyBuckets,
            LabelNames = [PodMetrics.ModelLabel],
        });
        duration.WithLabels("mobilenet \"v2\"").Observe(0.0042);
        duration.WithLabels("mobilenet \"v2\"").Observe(0.3);
        duration.WithLabels("mobilenet \"v2\"").Observe(100);
        var requests = factory.CreateCounter(PodMetrics.Requests, "Answered.", new CounterConfiguration { LabelNames = [PodMetrics.CodeLabel] });
        requests.WithLabels("200").Inc(41);
        requests.WithLabels("429").Inc(2);

        using var body = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(body);
        body.Position = 0;
        var families = await ExpositionParser.ParseAsync(body);

        Assert.Equal(7, Single(families, PodMetrics.QueueDepth, MetricType.Gauge).Samples.Single().Value);
        Assert.Equal(12, Single(families, PodMetrics.InFlight, MetricType.Gauge).Samples.Single().Value);

        var counter = Single(families, PodMetrics.Requests, MetricType.Counter);
        Assert.Equal(41, counter.Samples.Single(s => s.Labels[PodMetrics.CodeLabel] == "200").Value);
        Assert.Equal(2, counter.Samples.Single(s => s.Labels[PodMetrics.CodeLabel] == "429").Value);

        var histogram = Single(families, PodMetrics.RequestDuration, MetricType.Histogram);
        Assert.Equal("End-to-end latency, seconds \\ answered.", histogram.Help);
        var buckets = histogram.Samples.Where(s => s.Name == PodMetrics.RequestDuration + "_bucket").ToList();
        Assert.Equal(PodMetrics.LatencyBuckets.Length + 1, buckets.Count);
        Assert.All(histogram.Samples, s => Assert.Equal("mobilenet \"v2\"", s.Labels[PodMetrics.ModelLabel]));
        Assert.Equal("+Inf", buckets[^1].Labels["le"]);
        Assert.Equal(3, buckets[^1].Value);
        Assert.Equal(2, buckets.Single(b => b.Labels["le"] == "0.3").Value);
        Assert.Equal(1, buckets.Single(b => b.Labels["le"] == "0.005").Value);
        Assert.Equal(0, buckets.Single(b => b.Labels["le"] == "0.004").Value);
        Assert.Equal(100.3042, histogram.Samples.Single(s => s.Name == PodMetrics.RequestDuration + "_sum").Value, 9);
        Assert.Equal(3, histogram.Samples.Single(s => s.Name == PodMetrics.RequestDuration + "_count").Value);
    }

    private static MetricFamily Single(IReadOnlyList<MetricFamily> families, string name, MetricType type)
    {
        var family = Assert.Single(families, f => f.Name == name);
        Assert.Equal(type, family.Type);
        return family;
    }
}
