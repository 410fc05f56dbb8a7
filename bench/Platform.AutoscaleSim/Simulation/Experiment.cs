using System.Globalization;
using Platform.AutoscaleSim.Autoscalers;
using Platform.AutoscaleSim.Cluster;
using Platform.AutoscaleSim.Workload;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.AutoscaleSim.Simulation;

/// <summary>
/// One curve's setup: its oracle capacity table, base load, and the autoscalers compared
/// on it, every one configured by the same rule from the pod's settings.
/// </summary>
public sealed class Experiment
{
    /// <summary>Largest pod count the oracle's capacity table covers.</summary>
    private const int CalibratedPods = 14;
    private const int MaxReplicas = 40;

    private readonly double[] _capacityPerPod;

    private readonly string? _log;

    /// <param name="log">"curve/trace/policy" of a platform run whose decisions go to stderr.</param>
    public Experiment(Curve curve, LoadBalancing balancing, int seed, string? log = null)
    {
        _log = log;
        Curve = curve;
        Balancing = balancing;
        Seed = seed;
        _capacityPerPod = Calibration.CapacityPerPod(curve, CalibratedPods, balancing, seed);
        // Base load: what two pods serve within the SLO, so ×5 needs about ten.
        BaseRate = 2 * _capacityPerPod[2];
        TargetInFlight = Math.Round(LoadSweep.InFlightAt(curve, TargetLoad, seed), 1);
    }

    public Curve Curve { get; }

    public LoadBalancing Balancing { get; }

    public int Seed { get; }

    public double BaseRate { get; }

    /// <summary>
    /// Fraction of a pod's largest-batch throughput the queue targets aim at: the same rule
    /// for every curve, as a user would set it from one load test of one pod.
    /// </summary>
    public const double TargetLoad = 0.85;

    /// <summary>Requests in flight of one pod at <see cref="TargetLoad"/>: the per-replica target.</summary>
    public double TargetInFlight { get; }

    public IReadOnlyList<double> CapacityPerPod => _capacityPerPod;

    /// <summary>The fewest pods that serve <paramref name="rate"/> within the SLO.</summary>
    public int PodsFor(double rate)
    {
        for (var pods = 1; pods <= CalibratedPods; pods++)
        {
            if (rate <= pods * _capacityPerPod[pods])
            {
                return pods;
            }
        }

        return (int)Math.Ceiling(rate / _capacityPerPod[CalibratedPods]);
    }

    /// <summary>The operator's policy with its defaults and the service's two targets.</summary>
    public AutoscalerSettings PlatformSettings(double? targetInFlight = null) => new()
    {
        MinReplicas = 1,
        MaxReplicas = MaxReplicas,
        TargetQueueDepthPerReplica = targetInFlight ?? TargetInFlight,
        TargetLatencyP95 = TimeSpan.FromSeconds(Curve.SloSeconds),
        // The operator can measure this as the time from pod creation to Ready.
        ScaleUpLeadTime = TimeSpan.FromSeconds(Curve.Pod.ColdStartSeconds),
    };


    private PlatformAutoscaler Platform(string name, AutoscalerSettings settings, LoadTrace trace) => new(name, settings, new SignalSettings())
    {
        Log = _log == $"{Curve.Name}/{trace.Name}/{name}" ? Console.Error.WriteLine : null,
    };

    public IReadOnlyList<Func<IAutoscaler>> Autoscalers(LoadTrace trace) =>
    [
        () => Platform("platform", PlatformSettings(), trace),
        () => Platform("platform, no panic", PlatformSettings() with { Panic = PanicSettings.Default with { Enabled = false } }, trace),
        () => Platform("platform, target = max batch", PlatformSettings(Curve.Pod.MaxBatch), trace),
        () => Platform("platform, HPA scale-down (300 s, no throughput bound)", PlatformSettings() with
        {
            ScaleDown = ScalingRules.DefaultScaleDown,
            ThroughputMemory = TimeSpan.Zero,
        }, trace),
        () => new HpaCpuAutoscaler(0.7, 1, MaxReplicas),
        () => new KedaQueueAutoscaler(Curve.Pod.MaxBatch, 1, MaxReplicas),
        () => new KnativeKpaAutoscaler(TargetInFlight, 1, MaxReplicas),
        () => new OracleAutoscaler(t => BaseRate * trace.Multiplier(t), PodsFor, Curve.Pod.ColdStartSeconds, 1, MaxReplicas),
    ];

    public RunResult Run(LoadTrace trace, IAutoscaler autoscaler) =>
        Simulator.Run(Curve, trace, BaseRate, autoscaler, PodsFor(BaseRate * trace.Multiplier(0)), Balancing, Seed + trace.Name.Length);

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Curve.Name}: {Curve.Pod.Profile.Name}; {Curve.Pod.Profile.Describe(Curve.Pod.MaxBatch)}; max batch {Curve.Pod.MaxBatch}, queue {Curve.Pod.QueueCapacity}, cold start {Curve.Pod.StartSeconds:0} s + {Curve.Pod.WarmupSeconds:0} s warm-up; SLO p95 ≤ {Curve.SloSeconds * 1000:0} ms; "
        + $"capacity per pod within the SLO: {string.Join(", ", new[] { 1, 2, 5, 10 }.Select(n => $"{n} pods {_capacityPerPod[n]:0}/s"))}; base load {BaseRate:0}/s; "
        + $"target in flight per replica {TargetInFlight:0.#} (one pod at {TargetLoad:P0} of its largest-batch throughput)");
}
