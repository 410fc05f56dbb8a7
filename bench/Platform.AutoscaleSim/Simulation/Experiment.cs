using System.Globalization;
using Platform.AutoscaleSim.Autoscalers;
using Platform.AutoscaleSim.Cluster;
using Platform.AutoscaleSim.Workload;
using Platform.Operator.Api.V1Alpha1;

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

    /// <summary>
    /// The InferenceService a user would write: the CRD's defaults for everything but the
    /// replica range, the two targets (in flight per replica from one pod's load test, p95 =
    /// the SLO) and the batcher the pods run.
    /// </summary>
    public InferenceServiceSpec ServiceSpec(int? scaleDownWindowSeconds = null)
    {
        var spec = new InferenceServiceSpec
        {
            Autoscaling = new AutoscalingSpec
            {
                MinReplicas = 1,
                MaxReplicas = MaxReplicas,
                TargetQueueDepth = (int)Math.Max(1, Math.Round(TargetInFlight)),
                TargetP95LatencyMs = (int)Math.Round(Curve.SloSeconds * 1000),
            },
            // The simulated batcher takes what is queued whenever the model is idle: no delay.
            Serving = new ServingSpec { MaxBatchSize = Curve.Pod.MaxBatch, MaxQueueDelayMs = 0, QueueCapacity = Curve.Pod.QueueCapacity, Instances = SimPod.Instances },
        };
        if (scaleDownWindowSeconds is { } window)
        {
            spec.Autoscaling.ScaleDown.StabilizationWindowSeconds = window;
        }

        return spec;
    }

    private PlatformAutoscaler Platform(string name, InferenceServiceSpec spec, LoadTrace trace, int seed) => new(name, spec, seed)
    {
        Log = _log == $"{Curve.Name}/{trace.Name}/{name}" && seed == Seed ? Console.Error.WriteLine : null,
    };

    public IReadOnlyList<Func<int, IAutoscaler>> Autoscalers(LoadTrace trace) =>
    [
        seed => Platform("platform", ServiceSpec(), trace, seed),
        seed => Platform("platform, HPA's 300 s scale-down", ServiceSpec(300), trace, seed),
        _ => Curve.Name == "gpu" ? new HpaCpuAutoscaler(0.7, 1, MaxReplicas, smActivity: true) : new HpaCpuAutoscaler(0.7, 1, MaxReplicas),
        _ => new KedaQueueAutoscaler(TargetInFlight, 1, MaxReplicas, inFlight: true),
        _ => new KnativeKpaAutoscaler(TargetInFlight, 1, MaxReplicas),
        _ => new OracleAutoscaler(t => BaseRate * trace.Multiplier(t), PodsFor, Curve.Pod.ColdStartSeconds, 1, MaxReplicas),
        _ => new OracleAutoscaler(t => BaseRate * trace.Multiplier(t), PodsFor, 0, 1, MaxReplicas, "reactive oracle"),
    ];

    public RunResult Run(LoadTrace trace, IAutoscaler autoscaler, int seed) =>
        Simulator.Run(Curve, trace, BaseRate, autoscaler, PodsFor(BaseRate * trace.Multiplier(0)), Balancing, seed + trace.Name.Length);

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Curve.Name}: {Curve.Pod.Profile.Name}; {Curve.Pod.Profile.Describe(Curve.Pod.MaxBatch)}; max batch {Curve.Pod.MaxBatch}, queue {Curve.Pod.QueueCapacity}, cold start {Curve.Pod.StartSeconds:0} s + {Curve.Pod.WarmupSeconds:0} s warm-up; SLO p95 ≤ {Curve.SloSeconds * 1000:0} ms; "
        + $"capacity per pod within the SLO: {string.Join(", ", new[] { 1, 2, 5, 10 }.Select(n => $"{n} pods {_capacityPerPod[n]:0}/s"))}; base load {BaseRate:0}/s; "
        + $"target in flight per replica {TargetInFlight:0.#} (one pod at {TargetLoad:P0} of its largest-batch throughput)");
}
