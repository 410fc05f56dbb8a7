using System.Globalization;
using Platform.Contracts;
using Prometheus;

namespace Platform.InferencePod.Metrics;

/// <summary>
/// The pod's measured service-time curve (<see cref="PodMetrics.BatchServiceTime"/>): per
/// batch size, the mean time of a model run, averaged over the first runs and then moving
/// (weight <see cref="LiveWeight"/> per run), so it follows the machine the pod runs on.
/// </summary>
public sealed class BatchServiceTimes
{
    /// <summary>Weight of a new run once a batch size has been seen <c>1 / LiveWeight</c> times.</summary>
    public const double LiveWeight = 0.05;

    private readonly Gauge _gauge;
    private readonly string _model;
    private readonly string _version;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, Entry> _entries = new();

    /// <summary>The scheduler never runs more rows than its maximum batch, so the label set stays bounded by it.</summary>
    public BatchServiceTimes(MetricFactory factory, string model, string version)
    {
        _model = model;
        _version = version;
        _gauge = factory.CreateGauge(PodMetrics.BatchServiceTime, "Mean time of one model run at a batch size in seconds, from warm-up, then a moving average of live runs.",
            [PodMetrics.ModelLabel, PodMetrics.ModelVersionLabel, PodMetrics.BatchSizeLabel]);
    }

    /// <summary>Records one run of <paramref name="rows"/> rows that took <paramref name="seconds"/>.</summary>
    public void Observe(int rows, double seconds)
    {
        if (rows < 1 || !(seconds >= 0) || double.IsInfinity(seconds)) return;
        var entry = _entries.GetOrAdd(rows, r => new Entry(_gauge.WithLabels(_model, _version, r.ToString(CultureInfo.InvariantCulture))));
        lock (entry)
        {
            entry.Runs++;
            var weight = Math.Max(1.0 / entry.Runs, LiveWeight);
            entry.Mean += weight * (seconds - entry.Mean);
            entry.Child.Set(entry.Mean);
        }
    }

    /// <summary>The current mean at a batch size, null before a run of that size.</summary>
    public double? Mean(int rows)
    {
        if (!_entries.TryGetValue(rows, out var e)) return null;
        lock (e) return e.Mean;
    }

    private sealed class Entry(Gauge.Child child)
    {
        public Gauge.Child Child { get; } = child;
        public long Runs { get; set; }
        public double Mean { get; set; }
    }
}
