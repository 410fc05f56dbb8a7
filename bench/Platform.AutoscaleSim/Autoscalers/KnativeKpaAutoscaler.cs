using Platform.AutoscaleSim.Cluster;

namespace Platform.AutoscaleSim.Autoscalers;

/// <summary>
/// Knative's KPA on concurrency: each second it records the ready pods' time-averaged
/// requests in flight; every 2 s it compares the 60 s (stable) and 6 s (panic) averages
/// with target = container concurrency × 70% utilization. Panic starts when the panic
/// proposal reaches 2 × ready pods, scales to the larger proposal, never down while
/// panicking, and ends after a stable window without the trigger. Changes per tick are
/// bounded by max scale-up rate 1000 and max scale-down rate 2.
/// </summary>
public sealed class KnativeKpaAutoscaler(double containerConcurrency, int minReplicas, int maxReplicas) : IAutoscaler
{
    private const double TargetUtilization = 0.7;
    private const double StableWindow = 60;
    private const double PanicWindow = 6;
    private const double PanicThreshold = 2.0;
    private const double MaxScaleUpRate = 1000;
    private const double MaxScaleDownRate = 2;

    private readonly List<(double At, double Concurrency)> _samples = [];
    private readonly Dictionary<string, double> _integrals = [];
    private double _lastSample = double.NaN;
    private double? _panicSince;
    private int _maxPanicPods;

    public string Name => $"Knative KPA {containerConcurrency * TargetUtilization:0.#}/pod";

    public double IntervalSeconds => 2;

    private double Target => containerConcurrency * TargetUtilization;

    public void Observe(double now, SimCluster cluster)
    {
        var total = 0.0;
        foreach (var pod in cluster.ReadyPods)
        {
            var integral = pod.InFlightIntegralAt(now);
            if (_integrals.TryGetValue(pod.Name, out var previous) && now > _lastSample)
            {
                total += (integral - previous) / (now - _lastSample);
            }
            else
            {
                total += pod.InFlight;
            }

            _integrals[pod.Name] = integral;
        }

        _lastSample = now;
        _samples.Add((now, total));
        _samples.RemoveAll(s => s.At <= now - StableWindow);
    }

    public int Decide(double now, SimCluster cluster)
    {
        var current = cluster.DesiredReplicas;
        if (_samples.Count == 0)
        {
            return current;
        }

        var stable = _samples.Average(s => s.Concurrency);
        var panicSamples = _samples.Where(s => s.At > now - PanicWindow).ToList();
        var panic = panicSamples.Count > 0 ? panicSamples.Average(s => s.Concurrency) : stable;
        double ready = Math.Max(1, cluster.ReadyPods.Count);
        var maxUp = Math.Ceiling(MaxScaleUpRate * ready);
        var maxDown = Math.Floor(ready / MaxScaleDownRate);
        var stablePods = Math.Ceiling(stable / Target);
        var panicPods = Math.Ceiling(panic / Target);
        var desiredStable = (int)Math.Min(Math.Max(stablePods, maxDown), maxUp);
        var desiredPanic = (int)Math.Min(Math.Max(panicPods, maxDown), maxUp);
        var overThreshold = panicPods / ready >= PanicThreshold;

        if (overThreshold)
        {
            _panicSince = now;
        }
        else if (_panicSince is { } since && since + StableWindow < now)
        {
            _panicSince = null;
            _maxPanicPods = 0;
        }

        var desired = desiredStable;
        if (_panicSince is not null)
        {
            desired = Math.Max(desired, desiredPanic);
            if (desired > _maxPanicPods)
            {
                _maxPanicPods = desired;
            }
            else
            {
                desired = _maxPanicPods;
            }
        }

        return Math.Clamp(desired, minReplicas, maxReplicas);
    }
}
