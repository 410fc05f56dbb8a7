using System.Globalization;
using Platform.Operator.Autoscaling.Capacity;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.Operator.Autoscaling.Policy;

/// <summary>What the rate rule found this round.</summary>
/// <param name="Exact">Replicas the forecast rate needs, unrounded.</param>
/// <param name="PerPod">Requests per second one pod sustains at the target p95.</param>
public readonly record struct CapacityView(double Exact, double Rate, double Forecast, double Margin, double PerPod, double Ratio, string Message);

/// <summary>
/// Replicas from the arrival rate: desired = forecast × (1 + margin) / capacity per pod. The
/// capacity is the pods' own (their service-time curve through <see cref="PodCapacityModel"/>
/// at the target p95, corrected by observed over predicted p95); the forecast is Holt's over
/// the lead time (a new pod's start time plus a scrape); the margin is 1.65 × the forecast's
/// own recent relative under-forecast, between <see cref="MinMargin"/> and <see cref="MaxMargin"/>.
/// Pure.
/// </summary>
public static class CapacityRule
{
    /// <summary>
    /// The margin's floor: about the Poisson noise of the arrival rate measured over one 5 s
    /// scrape at a few hundred requests per second (1.65/√1500 ≈ 4%, halved by the two windows
    /// the forecast smooths over). The capacity model's own conservatism (no pooling across
    /// pods, no shedding) covers the rest.
    /// </summary>
    public const double MinMargin = 0.02;
    public const double MaxMargin = 0.3;

    /// <summary>The margin before the forecast has been scored.</summary>
    public const double InitialMargin = 0.1;

    /// <summary>One-sided 95% normal quantile: the margin covers most under-forecasts.</summary>
    private const double MarginZ = 1.65;

    public static (CapacityView? View, ScalingHistory History) Evaluate(DateTimeOffset now, ScalingSignals signals, ScalingHistory history, AutoscalerSettings settings)
    {
        if (settings.Batcher is not { } shape || settings.TargetLatencyP95 is not { } target || signals.Short.PodsWithHistory == 0)
        {
            return (null, history);
        }

        var sized = CurvePods(signals.Pods);
        var curve = MeanCurve(sized);
        if (curve.Count == 0)
        {
            return (null, history);
        }

        // The pods may have chosen their own layout at start-up: size with the instances they run.
        shape = shape with { Instances = PodInstances.Resolve(sized.Select(p => p.ModelInstances), shape.Instances) };

        // Ready pods whose scrape failed carried traffic too: scale the measured rate up to
        // them. Pods without a window yet are not counted: they just turned ready, and the
        // measured pods' arrivals (refused ones included) already hold the traffic they missed.
        var rate = signals.Short.ArrivalRate * (signals.Short.PodsWithHistory + signals.MissingPods.Length) / signals.Short.PodsWithHistory;

        var stable = signals.Stable;
        var ratio = history.CapacityRatio;
        if (stable.PodsWithHistory > 0 && stable.LatencyQuantileSeconds is { } observed)
        {
            var perPodRate = stable.ArrivalRate / stable.PodsWithHistory;
            var predicted = PodCapacityModel.PredictP95(curve, shape, perPodRate);
            ratio = CapacityCorrection.Update(ratio, observed, predicted, stable.RequestRate * stable.Seconds, stable.OverloadRejectionRate > 0);
        }

        var perPod = PodCapacityModel.RateAtSlo(curve, shape, target / ratio);
        var lead = settings.ScaleUpLeadTime;
        // Just after a scale-down the windows miss the removed pods' share of the traffic, so
        // the measured rate reads low for a known reason: the forecast neither learns from it
        // nor scores itself against it (that would raise the margin for nothing).
        var scaledDown = history.Events.Any(e => e.Change < 0 && e.At > now - TimeSpan.FromSeconds(stable.Seconds));
        var forecast = scaledDown && history.Forecast is { } kept
            ? kept
            : history.Forecast?.Observe(now, rate) ?? ArrivalForecast.Start(now, rate);
        var ahead = Math.Max(rate, forecast.Ahead(lead));
        var margin = Math.Clamp(forecast.RelativeError is { } e ? MarginZ * e : InitialMargin, MinMargin, MaxMargin);
        history = history with { Forecast = forecast == history.Forecast ? forecast : forecast.Remember(lead), CapacityRatio = ratio };
        if (!(perPod > 0))
        {
            return (null, history);
        }

        var exact = ahead * (1 + margin) / perPod;
        var message = $"{Num(rate)}/s arriving, {Num(ahead)}/s forecast {Num(lead.TotalSeconds)} s ahead, +{Num(margin * 100)}% margin, at {Num(perPod)}/s per pod (p95 ≤ {Num(target.TotalMilliseconds)} ms from the pods' service times and {shape.Instances} instance{(shape.Instances == 1 ? string.Empty : "s")} each{(Math.Abs(ratio - 1) > 0.005 ? $", observed/predicted p95 ×{Num(ratio)}" : string.Empty)}) ask for {Num(exact)}";
        return (new CapacityView(exact, rate, ahead, margin, perPod, ratio, message), history);
    }

    /// <summary>
    /// The pods the service is sized from: those with a curve, of the model version most of
    /// them run (during a rollout two versions serve).
    /// </summary>
    public static IReadOnlyList<PodSignals> CurvePods(IEnumerable<PodSignals> pods)
    {
        var withCurve = pods.Where(p => p.ServiceCurve.Count > 0).ToList();
        if (withCurve.Count == 0)
        {
            return [];
        }

        var version = withCurve.GroupBy(p => p.ModelVersion ?? string.Empty).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        return [.. withCurve.Where(p => (p.ModelVersion ?? string.Empty) == version)];
    }

    /// <summary>The pods' curves averaged size by size, over the pods of the most common model version.</summary>
    public static IReadOnlyDictionary<int, double> MeanCurve(IEnumerable<PodSignals> pods)
    {
        var sums = new SortedDictionary<int, (double Sum, int Count)>();
        foreach (var pod in CurvePods(pods))
        {
            foreach (var (size, seconds) in pod.ServiceCurve)
            {
                if (seconds > 0 && double.IsFinite(seconds))
                {
                    var (sum, count) = sums.GetValueOrDefault(size);
                    sums[size] = (sum + seconds, count + 1);
                }
            }
        }

        return sums.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count);
    }

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
