using Platform.Contracts;
using Platform.Operator.Autoscaling.Prometheus;
using Platform.Operator.Autoscaling.Signals;
using Prometheus;
using static Platform.Autoscaling.Tests.Signals.SignalTestData;

namespace Platform.Autoscaling.Tests.Signals;

public class PodMetricsExtractorTests
{
    [Fact]
    public async Task Reads_gauges_histogram_series_and_overload_rejections_from_prometheus_net_output()
    {
        var registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(registry);
        factory.CreateGauge(PodMetrics.QueueDepth, "q").Set(3);
        factory.CreateGauge(PodMetrics.InFlight, "f").Set(5);
        var duration = factory.CreateHistogram(PodMetrics.RequestDuration, "d", new HistogramConfiguration
        {
            Buckets = PodMetrics.LatencyBuckets,
            LabelNames = [PodMetrics.ModelLabel],
        });
        duration.WithLabels("a").Observe(0.002);
        duration.WithLabels("b").Observe(0.2);
        duration.WithLabels("b").Observe(0.3);
        var rejections = factory.CreateCounter(PodMetrics.Rejections, "r", new CounterConfiguration { LabelNames = [PodMetrics.ReasonLabel] });
        rejections.WithLabels(PodMetrics.Reasons.QueueFull).Inc(4);
        rejections.WithLabels(PodMetrics.Reasons.Deadline).Inc(1);
        rejections.WithLabels(PodMetrics.Reasons.BadRequest).Inc(100);

        using var body = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(body);
        body.Position = 0;
        var snapshot = PodMetricsExtractor.Extract("pod-1", T0, await ExpositionParser.ParseAsync(body));

        Assert.Equal("pod-1", snapshot.PodName);
        Assert.Equal(T0, snapshot.ScrapedAt);
        Assert.Equal(3, snapshot.QueueDepth);
        Assert.Equal(5, snapshot.InFlight);
        Assert.Equal(5, snapshot.OverloadRejections);
        Assert.Equal(2, snapshot.RequestDuration.Count);
        var b = snapshot.RequestDuration.Values.Single(s => s.Count == 2);
        Assert.Equal(0.5, b.Sum, 10);
        Assert.Equal(Bounds, b.UpperBounds);
        Assert.Equal(1, b.CumulativeCounts[Array.IndexOf(Bounds, 0.2)]);
    }

    [Fact]
    public async Task Reads_the_service_time_curve_with_its_model_version()
    {
        var registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(registry);
        factory.CreateGauge(PodMetrics.QueueDepth, "q").Set(0);
        factory.CreateGauge(PodMetrics.InFlight, "f").Set(0);
        var curve = factory.CreateGauge(PodMetrics.BatchServiceTime, "s", [PodMetrics.ModelLabel, PodMetrics.ModelVersionLabel, PodMetrics.BatchSizeLabel]);
        curve.WithLabels("m", "7", "1").Set(0.003);
        curve.WithLabels("m", "7", "8").Set(0.022);
        using var body = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(body);
        body.Position = 0;

        var snapshot = PodMetricsExtractor.Extract("pod-1", T0, await ExpositionParser.ParseAsync(body));

        Assert.Equal([1, 8], snapshot.ServiceCurve.Keys);
        Assert.Equal(0.022, snapshot.ServiceCurve[8]);
        Assert.Equal("7", snapshot.ModelVersion);
        Assert.Empty(Extract(Gauges).ServiceCurve);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("platform_model_instances{model=\"m\"} 0\n", null)]
    [InlineData("platform_model_instances{model=\"m\"} 1\n", 1)]
    [InlineData("platform_model_instances{model=\"m\"} 4\n", 4)]
    public void Reads_the_instances_the_pod_runs_once_its_model_is_loaded(string line, int? expected)
    {
        Assert.Equal(expected, Extract(Gauges + line).ModelInstances);
    }

    [Fact]
    public async Task Reads_the_instances_gauge_as_prometheus_net_writes_it()
    {
        var registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(registry);
        factory.CreateGauge(PodMetrics.QueueDepth, "q").Set(0);
        factory.CreateGauge(PodMetrics.InFlight, "f").Set(0);
        factory.CreateGauge(PodMetrics.ModelInstances, "i", [PodMetrics.ModelLabel]).WithLabels("m").Set(2);
        using var body = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(body);
        body.Position = 0;

        Assert.Equal(2, PodMetricsExtractor.Extract("pod-1", T0, await ExpositionParser.ParseAsync(body)).ModelInstances);
    }

    [Theory]
    [InlineData("platform_model_instances 1.5\n", "expected a whole number")]
    [InlineData("platform_model_instances -1\n", "expected a finite non-negative number")]
    [InlineData("platform_model_instances NaN\n", "expected a finite non-negative number")]
    public void A_bad_instance_count_is_a_contract_violation(string line, string reason)
    {
        var error = Assert.Throws<PodMetricsContractException>(() => Extract(Gauges + line));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("platform_inference_batch_service_seconds{batch_size=\"0\"} 0.1\n", "batch_size=\"0\", expected a positive integer")]
    [InlineData("platform_inference_batch_service_seconds{batch_size=\"x\"} 0.1\n", "expected a positive integer")]
    [InlineData("platform_inference_batch_service_seconds{batch_size=\"2\"} -0.1\n", "expected a finite non-negative number")]
    [InlineData("platform_inference_batch_service_seconds{batch_size=\"2\"} NaN\n", "expected a finite non-negative number")]
    public void A_bad_service_time_curve_is_a_contract_violation(string line, string reason)
    {
        var error = Assert.Throws<PodMetricsContractException>(() => Extract(Gauges + line));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_that_answered_nothing_yet_has_no_histogram_series()
    {
        var snapshot = Extract($"{PodMetrics.QueueDepth} 0\n{PodMetrics.InFlight} 0\n");
        Assert.Empty(snapshot.RequestDuration);
        Assert.Equal(0, snapshot.OverloadRejections);
    }

    [Theory]
    [InlineData("platform_inference_in_flight_requests 0\n", "metric 'platform_inference_queue_depth' is missing")]
    [InlineData("platform_inference_queue_depth 0\n", "metric 'platform_inference_in_flight_requests' is missing")]
    [InlineData("platform_inference_queue_depth -1\nplatform_inference_in_flight_requests 0\n", "expected a finite non-negative number")]
    [InlineData("platform_inference_queue_depth NaN\nplatform_inference_in_flight_requests 0\n", "expected a finite non-negative number")]
    [InlineData(Gauges + "# TYPE platform_inference_request_duration_seconds gauge\nplatform_inference_request_duration_seconds 1\n", "is a gauge, expected a histogram")]
    [InlineData(Gauges + "# TYPE platform_inference_request_duration_seconds histogram\nplatform_inference_request_duration_seconds_bucket{le=\"1\"} 1\nplatform_inference_request_duration_seconds_sum 1\n", "has no +Inf bucket")]
    [InlineData(Gauges + "# TYPE platform_inference_request_duration_seconds histogram\nplatform_inference_request_duration_seconds_bucket{le=\"+Inf\"} 1\n", "has no _sum")]
    [InlineData(Gauges + "# TYPE platform_inference_request_duration_seconds histogram\nplatform_inference_request_duration_seconds_bucket{le=\"1\"} 1\nplatform_inference_request_duration_seconds_bucket{le=\"1.0\"} 1\n", "repeats the bucket")]
    [InlineData(Gauges + Histogram + "platform_inference_request_duration_seconds_sum NaN\n", "_sum' has the value NaN")]
    [InlineData(Gauges + Histogram + "platform_inference_request_duration_seconds_sum -0.5\n", "_sum' has the value -0.5")]
    [InlineData(Gauges + Histogram + "platform_inference_request_duration_seconds_sum -Inf\n", "_sum' has the value -")]
    [InlineData(Gauges + Histogram + "platform_inference_request_duration_seconds_sum +Inf\n", "expected a finite non-negative number")]
    public void Contract_violations_name_the_pod_and_the_problem(string text, string reason)
    {
        var error = Assert.Throws<PodMetricsContractException>(() => Extract(text));
        Assert.Equal("pod-1", error.PodName);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    private const string Histogram = "# TYPE platform_inference_request_duration_seconds histogram\nplatform_inference_request_duration_seconds_bucket{le=\"+Inf\"} 1\nplatform_inference_request_duration_seconds_count 1\n";

    /// <summary>
    /// The path the issue was found on: a pod restarts (its counters reset) and its new
    /// scrape carries a negative latency sum. The extractor refuses it, so the window never
    /// sees negative time in flight.
    /// </summary>
    [Fact]
    public void A_negative_sum_after_a_counter_reset_never_reaches_the_window()
    {
        var before = Extract(Gauges + Histogram.Replace("} 1\n", "} 50\n", StringComparison.Ordinal).Replace("_count 1", "_count 50", StringComparison.Ordinal)
            + "platform_inference_request_duration_seconds_sum 5\n");
        Assert.Throws<PodMetricsContractException>(() => Extract(Gauges + Histogram + "platform_inference_request_duration_seconds_sum -4\n"));

        var after = PodMetricsExtractor.Extract("pod-1", T0.AddSeconds(1), ExpositionParser.Parse(Gauges + Histogram + "platform_inference_request_duration_seconds_sum 1\n"));
        var delta = PodWindowDelta.Between(before, after);
        Assert.Equal(1, delta.Requests);
        Assert.Equal(1, delta.LatencySum);
    }

    private const string Gauges = "platform_inference_queue_depth 0\nplatform_inference_in_flight_requests 0\n";

    private static PodMetricsSnapshot Extract(string text) => PodMetricsExtractor.Extract("pod-1", T0, ExpositionParser.Parse(text));
}
