namespace Platform.AutoscaleSim.Cluster;

/// <summary>
/// A Deployment of simulated pods behind a load balancer. Scaling up creates pods that
/// serve after their cold start; scaling down removes pods still starting first, then the
/// most recently created ready ones (as a ReplicaSet does), which drain what they admitted
/// before they go. Replica-seconds count every pod from creation until it is gone.
/// </summary>
public sealed class SimCluster
{
    private readonly PodSpec _spec;
    private readonly LoadBalancer _balancer;
    private readonly List<SimPod> _pods = [];
    private readonly List<SimPod> _draining = [];
    private readonly List<SimPod> _ready = [];
    private int _created;
    private readonly Random _starts;

    /// <summary>Log-normal spread of pod start times (σ of the log), so a scale-up's pods turn ready one by one.</summary>
    public const double StartSpread = 0.25;

    public SimCluster(PodSpec spec, LoadBalancing balancing, int initialReplicas, int seed = 0)
    {
        _spec = spec;
        _starts = new Random(seed ^ 0x57A7);
        _balancer = new LoadBalancer(balancing);
        for (var i = 0; i < initialReplicas; i++)
        {
            var pod = NewPod(-spec.ColdStartSeconds);
            pod.Phase = PodPhase.Ready;
            _ready.Add(pod);
        }

        DesiredReplicas = initialReplicas;
    }

    public PodSpec Spec => _spec;

    /// <summary>The Deployment's spec.replicas.</summary>
    public int DesiredReplicas { get; private set; }

    /// <summary>Pods that are not terminating: starting or ready.</summary>
    public IReadOnlyList<SimPod> Pods => _pods;

    public IReadOnlyList<SimPod> ReadyPods => _ready;

    public IReadOnlyList<SimPod> DrainingPods => _draining;

    public double ReplicaSeconds { get; private set; }

    public void Scale(int desired, double now)
    {
        DesiredReplicas = Math.Max(0, desired);
        while (_pods.Count < DesiredReplicas)
        {
            NewPod(now);
        }

        while (_pods.Count > DesiredReplicas)
        {
            var victim = _pods.LastOrDefault(p => p.Phase == PodPhase.Starting) ?? _pods[^1];
            _pods.Remove(victim);
            if (victim.Phase == PodPhase.Ready)
            {
                _ready.Remove(victim);
                victim.Phase = PodPhase.Draining;
                _draining.Add(victim);
            }
            else
            {
                victim.Phase = PodPhase.Gone;
            }
        }
    }

    /// <summary>Starts pods whose cold start is over and removes drained ones.</summary>
    public void UpdatePhases(double now)
    {
        foreach (var pod in _pods)
        {
            if (pod.Phase == PodPhase.Starting && pod.ReadyAt <= now)
            {
                pod.Phase = PodPhase.Ready;
                _ready.Add(pod);
            }
        }

        for (var i = _draining.Count - 1; i >= 0; i--)
        {
            if (_draining[i].Idle)
            {
                _draining[i].Phase = PodPhase.Gone;
                _draining.RemoveAt(i);
            }
        }
    }

    /// <summary>Spreads arrivals over ready pods; returns how many were refused.</summary>
    public int Admit(double now, int arrivals) => _balancer.Distribute(now, arrivals, _ready);

    /// <summary>Runs every serving pod's batcher through one tick and counts its cost.</summary>
    public void Advance(double from, double until, Random random, ILatencySink sink)
    {
        foreach (var pod in _ready)
        {
            pod.Advance(from, until, random, sink);
        }

        foreach (var pod in _draining)
        {
            pod.Advance(from, until, random, sink);
        }

        ReplicaSeconds += (_pods.Count + _draining.Count) * (until - from);
    }

    private SimPod NewPod(double now)
    {
        // exp(σZ − σ²/2) has mean 1: the spec's start time stays the mean.
        var z = Math.Sqrt(-2 * Math.Log(1 - _starts.NextDouble())) * Math.Cos(2 * Math.PI * _starts.NextDouble());
        var pod = new SimPod($"pod-{_created++}", _spec, now, Math.Exp((StartSpread * z) - (StartSpread * StartSpread / 2)), _starts);
        _pods.Add(pod);
        return pod;
    }
}
