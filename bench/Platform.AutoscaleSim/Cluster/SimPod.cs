using Platform.Contracts;
using Platform.InferencePod.Batching;

namespace Platform.AutoscaleSim.Cluster;

public enum PodPhase
{
    Starting,
    Ready,
    Draining,
    Gone,
}

/// <summary>
/// One simulated inference pod: a bounded FIFO admission queue that also refuses a request
/// whose wait would not fit its deadline (with the real pod's own <see cref="AdmissionPolicy"/>
/// and <see cref="ComputeEstimate"/>), a batcher that takes up to
/// the maximum batch of what is queued whenever the model is idle, and the counters and
/// gauges the real pod exports. Requests arriving in the same simulation tick are kept as
/// one queue entry with a count.
/// </summary>
public sealed class SimPod
{
    private static readonly double[] Buckets = PodMetrics.LatencyBuckets;

    /// <summary>Model instances of a simulated pod: its batcher runs one batch at a time.</summary>
    public const int Instances = 1;

    private readonly PodSpec _spec;
    private readonly RequestQueue _queue = new();
    private readonly List<(double Arrival, int Count)> _batch = [];
    private double _busyUntil = double.NaN;
    private double _batchStart;
    private double _busySeconds;
    private double _inFlightIntegral;
    private double _integralAt;
    private double _activeSeconds;
    private readonly SortedDictionary<int, (double Mean, long Runs)> _serviceCurve = [];

    /// <summary>
    /// The real scheduler's fallback cost per row before the curve has its end points: a moving
    /// average (weight 0.2) of live batches' time over rows, starting at 1 ms.
    /// </summary>
    private double _secondsPerRow = 0.001;

    /// <summary>What the running batch was estimated to take when it started (the real scheduler's running estimate).</summary>
    private double _runningExpected;

    /// <param name="startFactor">
    /// This pod's start time over the spec's (1 = the spec's): scheduling, image pulls and
    /// model loads vary from pod to pod.
    /// </param>
    /// <param name="warmup">Draws the warm-up runs' service times, as the real pod measures them.</param>
    public SimPod(string name, PodSpec spec, double createdAt, double startFactor = 1, Random? warmup = null)
    {
        Name = name;
        _spec = spec;
        CreatedAt = createdAt;
        ReadyAt = createdAt + (spec.StartSeconds * startFactor) + spec.WarmupSeconds;
        _integralAt = createdAt;
        if (warmup is not null)
        {
            // The real pod's warm-up runs each size a few times and exports what they took.
            for (var size = 1; size <= spec.MaxBatch; size = size < spec.MaxBatch && size * 2 > spec.MaxBatch ? spec.MaxBatch : size * 2)
            {
                for (var i = 0; i < 3; i++) RecordRun(size, spec.Profile.SampleSeconds(size, warmup));
                if (size == spec.MaxBatch) break;
            }
        }
    }

    /// <summary>The measured mean service time per batch size, as the pod exports it (see <c>PodMetrics.BatchServiceTime</c>).</summary>
    public IReadOnlyDictionary<int, (double Mean, long Runs)> ServiceCurve => _serviceCurve;

    /// <summary>
    /// Seconds of SM activity as DCGM's DCGM_FI_PROF_SM_ACTIVE counts it: busy time weighted by
    /// how full the batch is (a batch of 1 on a GPU sized for 32 leaves most SMs idle), not the
    /// time-busy fraction that reads 100% at any load.
    /// </summary>
    public double ActiveSecondsAt(double now) => _activeSeconds + (double.IsNaN(_busyUntil) ? 0 : Math.Max(0, now - _batchStart) * InBatch / _spec.MaxBatch);

    public string Name { get; }

    public double CreatedAt { get; }

    public double ReadyAt { get; }

    public PodPhase Phase { get; set; } = PodPhase.Starting;

    /// <summary>Requests waiting for a batch.</summary>
    public int Queued { get; private set; }

    /// <summary>Requests in the batch being computed.</summary>
    public int InBatch { get; private set; }

    public int InFlight => Queued + InBatch;

    public bool Idle => InFlight == 0;

    /// <summary>Cumulative non-cumulative bucket counts: index i counts latencies in (bucket[i-1], bucket[i]], the last one above all.</summary>
    public long[] BucketCounts { get; } = new long[Buckets.Length + 1];

    public double LatencySum { get; private set; }

    public long Answered { get; private set; }

    public long Refused { get; private set; }

    /// <summary>Seconds the model has spent computing, up to <paramref name="now"/>.</summary>
    public double BusySecondsAt(double now) => _busySeconds + (double.IsNaN(_busyUntil) ? 0 : Math.Max(0, now - _batchStart));

    /// <summary>Time integral of the in-flight count up to <paramref name="now"/> (request-seconds).</summary>
    public double InFlightIntegralAt(double now) => _inFlightIntegral + (InFlight * Math.Max(0, now - _integralAt));

    /// <summary>
    /// Admits what fits at <paramref name="now"/>, one one-row request at a time as the real pod
    /// does; returns how many were refused. A request is refused when the queue is full or when
    /// <see cref="AdmissionPolicy.Decide"/> refuses it: the backlog priced from the measured curve
    /// (what the running batch has left, then the queued rows and its own as full batches and a
    /// partial one) must leave its own compute, and the wait must fit
    /// <see cref="AdmissionPolicy.WaitShare"/> of the deadline less that compute. Requests of one
    /// tick see the same state but for the rows admitted before them, so once one is refused
    /// the rest are too.
    /// </summary>
    public int Admit(double now, int count)
    {
        var deadline = TimeSpan.FromSeconds(_spec.DeadlineSeconds);
        var ownCompute = TimeSpan.FromSeconds(RunSeconds(1));
        var running = double.IsNaN(_busyUntil) ? 0 : Math.Max(0, _runningExpected - (now - _batchStart));
        var accepted = 0;
        while (accepted < count && Queued + accepted < _spec.QueueCapacity)
        {
            // InferenceScheduler.EstimateCompletion: running work plus the queue with this request, over the instances.
            var completion = TimeSpan.FromSeconds((running + ComputeSeconds(Queued + accepted + 1)) / Instances);
            if (AdmissionPolicy.Decide(completion, ownCompute, deadline) != AdmissionVerdict.Admit) break;
            accepted++;
        }

        if (accepted > 0)
        {
            Accumulate(now);
            _queue.Enqueue(now, accepted);
            Queued += accepted;
        }

        var refused = count - Math.Max(accepted, 0);
        Refused += refused;
        return refused;
    }

    /// <summary>Runs the batcher from <paramref name="from"/> until just before <paramref name="until"/>.</summary>
    public void Advance(double from, double until, Random random, ILatencySink sink)
    {
        var clock = from;
        while (true)
        {
            if (!double.IsNaN(_busyUntil))
            {
                if (_busyUntil >= until)
                {
                    return;
                }

                clock = _busyUntil;
                Complete(clock, sink);
            }

            if (Queued == 0)
            {
                return;
            }

            StartBatch(clock, random);
        }
    }

    private void StartBatch(double now, Random random)
    {
        var size = 0;
        while (size < _spec.MaxBatch && _queue.Count > 0)
        {
            var (arrival, take) = _queue.Take(_spec.MaxBatch - size);
            _batch.Add((arrival, take));
            size += take;
        }

        Queued -= size;
        InBatch = size;
        _batchStart = now;
        _runningExpected = ComputeSeconds(size);
        _busyUntil = now + _spec.Profile.SampleSeconds(size, random);
    }

    private void Complete(double now, ILatencySink sink)
    {
        Accumulate(now);
        foreach (var (arrival, count) in _batch)
        {
            var latency = now - arrival;
            LatencySum += latency * count;
            Answered += count;
            BucketCounts[BucketIndex(latency)] += count;
            sink.OnAnswered(now, latency, count);
        }

        _busySeconds += now - _batchStart;
        _activeSeconds += (now - _batchStart) * InBatch / _spec.MaxBatch;
        RecordRun(InBatch, now - _batchStart);
        _secondsPerRow += 0.2 * (((now - _batchStart) / InBatch) - _secondsPerRow);
        _batch.Clear();
        InBatch = 0;
        _busyUntil = double.NaN;
    }

    /// <summary>Seconds to compute <paramref name="rows"/> rows as batches, from the measured curve (the pod's estimate).</summary>
    private double ComputeSeconds(int rows) => ComputeEstimate.Seconds(rows, _spec.MaxBatch, MeasuredRun, _secondsPerRow);

    private double RunSeconds(int size) => ComputeEstimate.RunSeconds(size, _spec.MaxBatch, MeasuredRun, _secondsPerRow);

    private double? MeasuredRun(int size) => _serviceCurve.TryGetValue(size, out var entry) ? entry.Mean : null;

    private void RecordRun(int size, double seconds)
    {
        var (mean, runs) = _serviceCurve.GetValueOrDefault(size);
        runs++;
        mean += Math.Max(1.0 / runs, 0.05) * (seconds - mean);
        _serviceCurve[size] = (mean, runs);
    }

    private void Accumulate(double now)
    {
        if (now > _integralAt)
        {
            _inFlightIntegral += InFlight * (now - _integralAt);
            _integralAt = now;
        }
    }

    private static int BucketIndex(double latency)
    {
        var i = Array.BinarySearch(Buckets, latency);
        return i >= 0 ? i : ~i;
    }
}
