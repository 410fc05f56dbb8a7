using System.Collections.Immutable;
using Platform.Contracts;
using Platform.Operator.Autoscaling.Prometheus;

namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// Reads the metrics of <see cref="PodMetrics"/> out of one parsed scrape. Gauges are summed
/// over their series; the request-duration histogram is kept per series so that counter
/// resets are detected series by series.
/// </summary>
public static class PodMetricsExtractor
{
    private const string BucketBoundLabel = "le";

    public static PodMetricsSnapshot Extract(string podName, DateTimeOffset scrapedAt, IReadOnlyList<MetricFamily> families)
    {
        ArgumentException.ThrowIfNullOrEmpty(podName);
        ArgumentNullException.ThrowIfNull(families);
        var byName = new Dictionary<string, MetricFamily>(StringComparer.Ordinal);
        foreach (var family in families)
        {
            byName.TryAdd(family.Name, family);
        }

        var (curve, version) = ReadServiceCurve(podName, byName);
        return new PodMetricsSnapshot(
            podName,
            scrapedAt,
            QueueDepth: SumGauge(podName, byName, PodMetrics.QueueDepth),
            InFlight: SumGauge(podName, byName, PodMetrics.InFlight),
            RequestDuration: ReadHistogram(podName, byName, PodMetrics.RequestDuration),
            OverloadRejections: SumOverloadRejections(podName, byName))
        {
            ServiceCurve = curve,
            ModelVersion = version,
            ModelInstances = ReadInstances(podName, byName),
        };
    }

    /// <summary>
    /// The pod's model instances, optional (pods before it was in the contract lack it); null
    /// while it reads 0, before the model is loaded. Summed over series like the other gauges.
    /// </summary>
    private static int? ReadInstances(string podName, Dictionary<string, MetricFamily> byName)
    {
        if (!byName.TryGetValue(PodMetrics.ModelInstances, out var family) || family.Samples.Count == 0)
        {
            return null;
        }

        var total = 0.0;
        foreach (var sample in family.Samples)
        {
            total += RequireCount(podName, PodMetrics.ModelInstances, sample.Value);
        }

        if (total != Math.Floor(total) || total > int.MaxValue)
        {
            throw new PodMetricsContractException(podName, $"metric '{PodMetrics.ModelInstances}' has the value {total}, expected a whole number");
        }

        return total >= 1 ? (int)total : null;
    }

    /// <summary>
    /// The service-time curve, optional (pods before it was in the contract lack it). One
    /// model per pod: with several versions in one scrape, the curve is the last version's.
    /// </summary>
    private static (ImmutableSortedDictionary<int, double> Curve, string? Version) ReadServiceCurve(string podName, Dictionary<string, MetricFamily> byName)
    {
        if (!byName.TryGetValue(PodMetrics.BatchServiceTime, out var family) || family.Samples.Count == 0)
        {
            return (ImmutableSortedDictionary<int, double>.Empty, null);
        }

        var curve = ImmutableSortedDictionary.CreateBuilder<int, double>();
        string? version = null;
        foreach (var sample in family.Samples)
        {
            var size = sample.Labels[PodMetrics.BatchSizeLabel];
            if (!int.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rows) || rows < 1)
            {
                throw new PodMetricsContractException(podName, $"metric '{PodMetrics.BatchServiceTime}' has {PodMetrics.BatchSizeLabel}=\"{size}\", expected a positive integer");
            }

            var seconds = RequireCount(podName, PodMetrics.BatchServiceTime, sample.Value);
            var sampleVersion = sample.Labels[PodMetrics.ModelVersionLabel] ?? string.Empty;
            if (version is not null && version != sampleVersion)
            {
                curve.Clear();
            }

            version = sampleVersion;
            curve[rows] = seconds;
        }

        return (curve.ToImmutable(), version);
    }

    private static double SumGauge(string podName, Dictionary<string, MetricFamily> byName, string name)
    {
        if (!byName.TryGetValue(name, out var family) || family.Samples.Count == 0)
        {
            throw new PodMetricsContractException(podName, $"metric '{name}' is missing");
        }

        var total = 0.0;
        foreach (var sample in family.Samples)
        {
            total += RequireCount(podName, name, sample.Value);
        }

        return total;
    }

    private static double SumOverloadRejections(string podName, Dictionary<string, MetricFamily> byName)
    {
        if (!byName.TryGetValue(PodMetrics.Rejections, out var family))
        {
            return 0;
        }

        var total = 0.0;
        foreach (var sample in family.Samples)
        {
            if (sample.Labels[PodMetrics.ReasonLabel] is PodMetrics.Reasons.QueueFull or PodMetrics.Reasons.Deadline)
            {
                total += RequireCount(podName, PodMetrics.Rejections, sample.Value);
            }
        }

        return total;
    }

    private static ImmutableDictionary<string, HistogramSeries> ReadHistogram(
        string podName, Dictionary<string, MetricFamily> byName, string name)
    {
        if (!byName.TryGetValue(name, out var family))
        {
            // prometheus-net exports a labelled histogram only after its first observation.
            return ImmutableDictionary<string, HistogramSeries>.Empty;
        }

        if (family.Type != MetricType.Histogram)
        {
            throw new PodMetricsContractException(podName, $"metric '{name}' is a {family.Type.ToString().ToLowerInvariant()}, expected a histogram");
        }

        var series = new Dictionary<string, SeriesBuilder>(StringComparer.Ordinal);
        foreach (var sample in family.Samples)
        {
            var key = sample.Labels.KeyWithout(BucketBoundLabel);
            if (!series.TryGetValue(key, out var builder))
            {
                builder = new SeriesBuilder();
                series.Add(key, builder);
            }

            var suffix = sample.Name[name.Length..];
            switch (suffix)
            {
                case "_bucket":
                    // The parser has checked that le is present and numeric.
                    ExpositionDocumentBuilder.TryParseBound(sample.Labels[BucketBoundLabel]!, out var bound);
                    if (!builder.Buckets.TryAdd(bound, RequireCount(podName, name, sample.Value)))
                    {
                        throw new PodMetricsContractException(podName, $"histogram '{name}' repeats the bucket le=\"{sample.Labels[BucketBoundLabel]}\" in series {Describe(key)}");
                    }

                    break;
                case "_sum":
                    builder.Sum = sample.Value;
                    break;
                case "_count":
                    builder.Count = RequireCount(podName, name, sample.Value);
                    break;
            }
        }

        var result = ImmutableDictionary.CreateBuilder<string, HistogramSeries>(StringComparer.Ordinal);
        foreach (var (key, builder) in series)
        {
            if (!builder.Buckets.ContainsKey(double.PositiveInfinity))
            {
                throw new PodMetricsContractException(podName, $"histogram '{name}' has no +Inf bucket in series {Describe(key)}");
            }

            if (builder.Sum is not { } sum)
            {
                throw new PodMetricsContractException(podName, $"histogram '{name}' has no _sum in series {Describe(key)}");
            }

            // Latencies are never negative: a negative or infinite sum would turn into
            // negative time in flight once differenced across a counter reset.
            RequireCount(podName, name + "_sum", sum);

            var bounds = builder.Buckets.Keys.ToArray();
            var counts = builder.Buckets.Values.ToArray();
            result.Add(key, new HistogramSeries(bounds, counts, sum, builder.Count ?? counts[^1]));
        }

        return result.ToImmutable();
    }

    private static double RequireCount(string podName, string name, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
        {
            throw new PodMetricsContractException(podName, $"metric '{name}' has the value {value}, expected a finite non-negative number");
        }

        return value;
    }

    private static string Describe(string key) => key.Length == 0 ? "{}" : "{" + key.Replace('\u001e', '=').Replace('\u001f', ',') + "}";

    private sealed class SeriesBuilder
    {
        public SortedDictionary<double, double> Buckets { get; } = [];

        public double? Sum { get; set; }

        public double? Count { get; set; }
    }
}
