using Platform.Contracts;
using Prometheus;

namespace Platform.InferencePod.Metrics;

/// <summary>
/// Every instrument the pod exports, created once per model with names and buckets from
/// <see cref="PodMetrics"/>; label children are resolved up front so the hot path only
/// increments.
/// </summary>
public sealed class PodMetricSet
{
    private readonly Counter _requests;
    private readonly Counter _rejections;
    private readonly Counter.Child?[] _requestsByCode = new Counter.Child?[600];
    private readonly Dictionary<string, Counter.Child> _rejectionsByReason = new();
    private readonly string _model;

    public PodMetricSet(CollectorRegistry registry, string model, string modelVersion = "")
    {
        _model = model;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        string[] modelLabel = [PodMetrics.ModelLabel];
        QueueDepth = factory.CreateGauge(PodMetrics.QueueDepth, "Requests admitted and waiting for a batch.", modelLabel).WithLabels(model);
        QueueCapacity = factory.CreateGauge(PodMetrics.QueueCapacity, "Capacity of the admission queue.", modelLabel).WithLabels(model);
        InFlight = factory.CreateGauge(PodMetrics.InFlight, "Admitted requests not yet answered (queued or computing).", modelLabel).WithLabels(model);
        ModelReady = factory.CreateGauge(PodMetrics.ModelReady, "1 when the model is loaded and warmed up and the pod is not draining.", modelLabel).WithLabels(model);
        var latency = new HistogramConfiguration { Buckets = PodMetrics.LatencyBuckets, LabelNames = modelLabel };
        RequestDuration = factory.CreateHistogram(PodMetrics.RequestDuration, "End-to-end latency of answered inference requests in seconds.", latency).WithLabels(model);
        QueueWait = factory.CreateHistogram(PodMetrics.QueueWait, "Time from admission to the start of compute in seconds.", latency).WithLabels(model);
        ComputeDuration = factory.CreateHistogram(PodMetrics.ComputeDuration, "Time of one model run over a batch in seconds.", latency).WithLabels(model);
        BatchSize = factory.CreateHistogram(PodMetrics.BatchSize, "Rows per model run.",
            new HistogramConfiguration { Buckets = PodMetrics.BatchSizeBuckets, LabelNames = modelLabel }).WithLabels(model);
        BatchServiceTime = new BatchServiceTimes(factory, model, modelVersion);
        _requests = factory.CreateCounter(PodMetrics.Requests, "Inference requests answered, by HTTP status code.", [PodMetrics.ModelLabel, PodMetrics.CodeLabel]);
        _rejections = factory.CreateCounter(PodMetrics.Rejections, "Requests refused or dropped before compute, by reason.", [PodMetrics.ModelLabel, PodMetrics.ReasonLabel]);
        foreach (var reason in new[] { PodMetrics.Reasons.QueueFull, PodMetrics.Reasons.Deadline, PodMetrics.Reasons.Draining, PodMetrics.Reasons.BadRequest, PodMetrics.Reasons.ClientDisconnected, PodMetrics.Reasons.NotReady, PodMetrics.Reasons.RateLimited })
        {
            _rejectionsByReason[reason] = _rejections.WithLabels(model, reason);
        }
        foreach (var code in new[] { 200, 400, 404, 413, 429, 500, 503, 504 }) RequestsFor(code);
    }

    public Gauge.Child QueueDepth { get; }
    public Gauge.Child QueueCapacity { get; }
    public Gauge.Child InFlight { get; }
    public Gauge.Child ModelReady { get; }
    public Histogram.Child RequestDuration { get; }
    public Histogram.Child QueueWait { get; }
    public Histogram.Child ComputeDuration { get; }
    public Histogram.Child BatchSize { get; }
    /// <summary>The measured service time per batch size, which the operator sizes capacity from.</summary>
    public BatchServiceTimes BatchServiceTime { get; }

    public void CountResponse(int statusCode) => RequestsFor(statusCode).Inc();

    public void CountRejection(string reason)
    {
        if (!_rejectionsByReason.TryGetValue(reason, out var child))
        {
            lock (_rejectionsByReason)
            {
                child = _rejections.WithLabels(_model, reason);
            }
        }
        child.Inc();
    }

    private Counter.Child RequestsFor(int statusCode)
    {
        if ((uint)statusCode >= _requestsByCode.Length) return _requests.WithLabels(_model, statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return _requestsByCode[statusCode] ??= _requests.WithLabels(_model, statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
