using System.Collections.Immutable;

namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// Turns the scrape history of a service's pods into <see cref="ScalingSignals"/>. The
/// latency quantile is the one PromQL gives for
/// <c>histogram_quantile(q, sum by (le) (increase(request_duration_bucket[window])))</c>.
/// </summary>
public static class SignalCalculator
{
    public static ScalingSignals Compute(
        DateTimeOffset now, IReadOnlyCollection<PodState> pods, PodScrapeHistory history, SignalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid signal settings: " + string.Join(" ", errors), nameof(settings));
        }

        var ready = 0;
        var notReady = 0;
        var missing = ImmutableArray.CreateBuilder<string>();
        var measured = new List<IReadOnlyList<PodMetricsSnapshot>>();
        foreach (var pod in pods)
        {
            if (!pod.Ready)
            {
                notReady++;
                continue;
            }

            ready++;
            var snapshots = history.For(pod.Name);
            if (snapshots.Count == 0 || now - snapshots[^1].ScrapedAt > settings.StaleAfter)
            {
                missing.Add(pod.Name);
            }
            else
            {
                measured.Add(snapshots);
            }
        }

        if (measured.Count == 0)
        {
            return ScalingSignals.NoData(ready, notReady, missing.ToImmutable());
        }

        var stableDeltas = new List<PodWindowDelta>();
        var shortDeltas = new List<PodWindowDelta>();
        double queueDepth = 0, inFlight = 0, newPodsInFlight = 0;
        var perPod = ImmutableArray.CreateBuilder<PodSignals>(measured.Count);
        foreach (var snapshots in measured)
        {
            var latest = snapshots[^1];
            queueDepth += latest.QueueDepth;
            inFlight += latest.InFlight;
            if (snapshots.Count < 2)
            {
                newPodsInFlight += latest.InFlight;
                perPod.Add(new PodSignals(latest.PodName, latest.QueueDepth, latest.InFlight, null, null) { ServiceCurve = latest.ServiceCurve, ModelVersion = latest.ModelVersion, ModelInstances = latest.ModelInstances });
                continue;
            }

            var shortDelta = PodWindowDelta.Between(snapshots[^2], latest);
            var stableDelta = PodWindowDelta.Between(StableBaseline(snapshots, settings.StableWindow), latest);
            shortDeltas.Add(shortDelta);
            stableDeltas.Add(stableDelta);
            perPod.Add(new PodSignals(
                latest.PodName,
                latest.QueueDepth,
                latest.InFlight,
                Summarize([stableDelta], 0, settings.LatencyQuantile),
                Summarize([shortDelta], 0, settings.LatencyQuantile))
            {
                ServiceCurve = latest.ServiceCurve,
                ModelVersion = latest.ModelVersion,
                ModelInstances = latest.ModelInstances,
            });
        }

        return new ScalingSignals(
            ready,
            notReady,
            missing.ToImmutable(),
            measured.Count,
            queueDepth,
            inFlight,
            Summarize(stableDeltas, newPodsInFlight, settings.LatencyQuantile),
            Summarize(shortDeltas, newPodsInFlight, settings.LatencyQuantile))
        {
            Pods = perPod.MoveToImmutable(),
        };
    }

    /// <summary>
    /// The newest snapshot at least <paramref name="window"/> before the latest; for a pod
    /// younger than the window, its oldest snapshot (a shorter window beats none).
    /// </summary>
    private static PodMetricsSnapshot StableBaseline(IReadOnlyList<PodMetricsSnapshot> snapshots, TimeSpan window)
    {
        var windowStart = snapshots[^1].ScrapedAt - window;
        for (var i = snapshots.Count - 2; i >= 0; i--)
        {
            if (snapshots[i].ScrapedAt <= windowStart)
            {
                return snapshots[i];
            }
        }

        return snapshots[0];
    }

    private static WindowSignals Summarize(List<PodWindowDelta> deltas, double inFlightWithoutHistory, double quantile)
    {
        double rate = 0, arrivals = 0, rejections = 0, averageInFlight = inFlightWithoutHistory, totalSeconds = 0;
        var merged = new SortedDictionary<double, double>();
        foreach (var delta in deltas)
        {
            var seconds = delta.Elapsed.TotalSeconds;
            totalSeconds += seconds;
            rate += delta.Requests / seconds;
            arrivals += delta.Arrivals / seconds;
            rejections += delta.OverloadRejections / seconds;
            averageInFlight += delta.LatencySum / seconds;
            foreach (var (bound, increase) in delta.BucketIncreases)
            {
                merged[bound] = merged.GetValueOrDefault(bound) + increase;
            }
        }

        var p = HistogramQuantile.Compute(quantile, merged.Keys.ToArray(), merged.Values.ToArray());
        return new WindowSignals(deltas.Count, deltas.Count == 0 ? 0 : totalSeconds / deltas.Count, rate, Math.Max(0, arrivals), rejections, averageInFlight, double.IsNaN(p) ? null : p);
    }
}
