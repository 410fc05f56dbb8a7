using System.Globalization;
using System.Text;
using Platform.Contracts;

namespace Platform.AutoscaleSim.Cluster;

/// <summary>
/// Writes a simulated pod's metrics in the text format and layout prometheus-net uses
/// (HELP, TYPE, histogram _sum and _count before the cumulative buckets), so the operator's
/// own parser and extractor read them exactly as they read a real pod.
/// </summary>
public static class PodExposition
{
    public static string Render(SimPod pod, string modelName)
    {
        var text = new StringBuilder(4096);
        Gauge(text, PodMetrics.QueueDepth, "Requests admitted and waiting for a batch.", pod.Queued);
        Gauge(text, PodMetrics.InFlight, "Admitted requests not yet answered.", pod.InFlight);
        Gauge(text, PodMetrics.ModelReady, "1 when the model is loaded and warmed up.", 1);
        // A simulated pod runs one batch at a time: one instance, reported as the real pod reports its layout.
        text.Append("# HELP ").Append(PodMetrics.ModelInstances).Append(" ONNX Runtime sessions serving the model, each with its own batch loop.\n");
        text.Append("# TYPE ").Append(PodMetrics.ModelInstances).Append(" gauge\n");
        text.Append(PodMetrics.ModelInstances).Append('{').Append(PodMetrics.ModelLabel).Append("=\"").Append(modelName).Append("\"} ").Append(SimPod.Instances).Append('\n');

        text.Append("# HELP ").Append(PodMetrics.RequestDuration).Append(" End-to-end latency of answered inference requests.\n");
        text.Append("# TYPE ").Append(PodMetrics.RequestDuration).Append(" histogram\n");
        if (pod.Answered > 0)
        {
            var labels = $"{PodMetrics.ModelLabel}=\"{modelName}\"";
            text.Append(PodMetrics.RequestDuration).Append("_sum{").Append(labels).Append("} ").Append(Format(pod.LatencySum)).Append('\n');
            text.Append(PodMetrics.RequestDuration).Append("_count{").Append(labels).Append("} ").Append(pod.Answered).Append('\n');
            long cumulative = 0;
            for (var i = 0; i < PodMetrics.LatencyBuckets.Length; i++)
            {
                cumulative += pod.BucketCounts[i];
                text.Append(PodMetrics.RequestDuration).Append("_bucket{").Append(labels).Append(",le=\"")
                    .Append(Format(PodMetrics.LatencyBuckets[i])).Append("\"} ").Append(cumulative).Append('\n');
            }

            cumulative += pod.BucketCounts[^1];
            text.Append(PodMetrics.RequestDuration).Append("_bucket{").Append(labels).Append(",le=\"+Inf\"} ").Append(cumulative).Append('\n');
        }

        text.Append("# HELP ").Append(PodMetrics.BatchServiceTime).Append(" Mean time of one model run at a batch size in seconds.\n");
        text.Append("# TYPE ").Append(PodMetrics.BatchServiceTime).Append(" gauge\n");
        foreach (var (size, (mean, _)) in pod.ServiceCurve)
        {
            text.Append(PodMetrics.BatchServiceTime).Append('{').Append(PodMetrics.ModelLabel).Append("=\"").Append(modelName).Append("\",")
                .Append(PodMetrics.ModelVersionLabel).Append("=\"1\",").Append(PodMetrics.BatchSizeLabel).Append("=\"").Append(size.ToString(CultureInfo.InvariantCulture))
                .Append("\"} ").Append(Format(mean)).Append('\n');
        }

        text.Append("# HELP ").Append(PodMetrics.Rejections).Append(" Requests refused or dropped before compute, by reason.\n");
        text.Append("# TYPE ").Append(PodMetrics.Rejections).Append(" counter\n");
        if (pod.Refused > 0)
        {
            text.Append(PodMetrics.Rejections).Append('{').Append(PodMetrics.ReasonLabel).Append("=\"")
                .Append(PodMetrics.Reasons.QueueFull).Append("\"} ").Append(pod.Refused).Append('\n');
        }

        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, double value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" gauge\n");
        text.Append(name).Append(' ').Append(Format(value)).Append('\n');
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
