using k8s.Models;
using Platform.Contracts;
using Platform.Operator.Autoscaling.Prometheus;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.Operator.Autoscaling.Scraping;

/// <summary>
/// Scrapes one pod's /metrics at the pod IP the API reports (never a DNS guess), with a short
/// timeout and a bounded body; the result is a snapshot of the contract metrics or an error
/// saying what was wrong.
/// </summary>
public sealed class PodMetricsScraper(HttpClient http, TimeProvider time, TimeSpan timeout, ExpositionLimits limits)
{
    public const string PortAnnotation = "prometheus.io/port";
    public const string PathAnnotation = "prometheus.io/path";

    public async Task<PodMetricsSnapshot> ScrapeAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var ip = pod.Status?.PodIP ?? throw new ScrapeException(pod.Metadata.Name, "the pod has no IP yet");
        var port = pod.Metadata.Annotations?.TryGetValue(PortAnnotation, out var p) == true && int.TryParse(p, out var parsed) ? parsed : PodSettings.DefaultHttpPort;
        var path = pod.Metadata.Annotations?.TryGetValue(PathAnnotation, out var a) == true && a.StartsWith('/') ? a : Platform.Contracts.PodMetrics.Path;
        var host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync($"http://{host}:{port}{path}", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode) throw new ScrapeException(pod.Metadata.Name, $"GET {path} answered {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength > limits.MaxBytes)
                throw new ScrapeException(pod.Metadata.Name, $"metrics body of {response.Content.Headers.ContentLength} bytes is over the limit of {limits.MaxBytes}");
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var families = await ExpositionParser.ParseAsync(body, limits, deadline.Token);
            return PodMetricsExtractor.Extract(pod.Metadata.Name, time.GetUtcNow(), families);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ScrapeException(pod.Metadata.Name, $"no answer within {timeout.TotalMilliseconds:F0} ms");
        }
        catch (HttpRequestException e)
        {
            throw new ScrapeException(pod.Metadata.Name, e.Message);
        }
        catch (ExpositionFormatException e)
        {
            throw new ScrapeException(pod.Metadata.Name, $"unreadable metrics: {e.Message}");
        }
        catch (PodMetricsContractException e)
        {
            throw new ScrapeException(pod.Metadata.Name, e.Message);
        }
    }
}

/// <summary>A pod whose metrics could not be used this round; it counts as missing (no scale-down).</summary>
public sealed class ScrapeException(string pod, string reason) : Exception($"pod {pod}: {reason}")
{
    public string Pod { get; } = pod;
    public string Reason { get; } = reason;
}
