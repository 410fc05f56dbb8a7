namespace Platform.Operator.Autoscaling.Capacity;

/// <summary>
/// The arrival rate one pod sustains with its p95 latency under a target, from the pod's
/// measured service time per batch size and its batcher's shape. The batching queue is
/// evaluated, not approximated: a fixed Poisson arrival sequence (the same for every rate,
/// so the answer is deterministic and monotone in practice) runs through the batcher
/// (a run starts when an instance is free and either the batch is full or the oldest
/// request has waited the maximum delay), and the p95 of the resulting latencies is read.
/// The rate at the target is found by bisection. Pure.
/// </summary>
public static class PodCapacityModel
{
    /// <summary>Arrivals evaluated per rate; enough for a stable p95, cheap enough for every round.</summary>
    public const int Arrivals = 4000;

    /// <summary>The first arrivals fill the queue from empty and are not counted.</summary>
    private const int WarmupArrivals = 400;

    private const int Steps = 24;

    private static readonly double[] UnitGaps = MakeGaps();

    /// <summary>
    /// The service time of a run of <paramref name="rows"/> rows: linear between measured
    /// sizes, the smallest size's time below it, and the largest size's time per row above it.
    /// </summary>
    public static double ServiceSeconds(IReadOnlyDictionary<int, double> curve, int rows)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (curve.Count == 0) throw new ArgumentException("The service-time curve is empty.", nameof(curve));
        int? below = null, above = null;
        foreach (var size in curve.Keys)
        {
            if (size <= rows && (below is null || size > below)) below = size;
            if (size >= rows && (above is null || size < above)) above = size;
        }

        if (below is { } b && above is { } a)
        {
            return a == b ? curve[a] : curve[b] + ((curve[a] - curve[b]) * (rows - b) / (a - b));
        }

        if (above is { } onlyAbove) return curve[onlyAbove];
        var largest = below!.Value;
        return curve[largest] * rows / largest;
    }

    /// <summary>Most requests per second the pod can serve at all: full batches back to back on every instance.</summary>
    public static double MaxThroughput(IReadOnlyDictionary<int, double> curve, BatcherShape shape)
    {
        var best = 0.0;
        for (var rows = 1; rows <= shape.MaxBatchSize; rows++)
        {
            var s = ServiceSeconds(curve, rows);
            if (s > 0) best = Math.Max(best, rows / s);
        }

        return best * shape.Instances;
    }

    /// <summary>The p95 latency the batching queue gives at <paramref name="ratePerSecond"/> arrivals (+∞ when it cannot keep up).</summary>
    public static double PredictP95(IReadOnlyDictionary<int, double> curve, BatcherShape shape, double ratePerSecond)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!(ratePerSecond > 0)) return ServiceSeconds(curve, 1) + shape.MaxQueueDelay.TotalSeconds;
        if (ratePerSecond >= MaxThroughput(curve, shape)) return double.PositiveInfinity;
        var service = new double[shape.MaxBatchSize + 1];
        for (var rows = 1; rows <= shape.MaxBatchSize; rows++) service[rows] = ServiceSeconds(curve, rows);

        var arrivals = new double[UnitGaps.Length];
        var t = 0.0;
        for (var i = 0; i < arrivals.Length; i++)
        {
            t += UnitGaps[i] / ratePerSecond;
            arrivals[i] = t;
        }

        var free = new double[shape.Instances];
        var delay = shape.MaxQueueDelay.TotalSeconds;
        var latencies = new List<double>(arrivals.Length - WarmupArrivals);
        var next = 0;
        while (next < arrivals.Length)
        {
            var instance = 0;
            for (var k = 1; k < free.Length; k++) if (free[k] < free[instance]) instance = k;
            var lastOfFull = next + shape.MaxBatchSize - 1;
            var ready = Math.Min(arrivals[next] + delay, lastOfFull < arrivals.Length ? arrivals[lastOfFull] : double.PositiveInfinity);
            var start = Math.Max(free[instance], ready);
            var end = next;
            while (end < arrivals.Length && end - next < shape.MaxBatchSize && arrivals[end] <= start) end++;
            var rows = end - next;
            var done = start + service[rows];
            for (var i = next; i < end; i++)
            {
                if (i >= WarmupArrivals) latencies.Add(done - arrivals[i]);
            }

            free[instance] = done;
            next = end;
            // A queue that grows without bound: the rate is past what the pod serves.
            if (start - arrivals[next - 1] > 60) return double.PositiveInfinity;
        }

        latencies.Sort();
        return latencies[(int)Math.Ceiling(0.95 * latencies.Count) - 1];
    }

    /// <summary>
    /// The largest arrival rate whose predicted p95 is at most <paramref name="targetP95"/>;
    /// 0 when even a lone request misses it.
    /// </summary>
    public static double RateAtSlo(IReadOnlyDictionary<int, double> curve, BatcherShape shape, TimeSpan targetP95)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var errors = shape.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid batcher shape: " + string.Join(" ", errors), nameof(shape));
        var target = targetP95.TotalSeconds;
        var high = MaxThroughput(curve, shape);
        if (!(high > 0) || PredictP95(curve, shape, high * 1e-3) > target) return 0;
        var low = high * 1e-3;
        for (var step = 0; step < Steps; step++)
        {
            var mid = (low + high) / 2;
            if (PredictP95(curve, shape, mid) <= target) low = mid;
            else high = mid;
        }

        return low;
    }

    private static double[] MakeGaps()
    {
        // A fixed sequence: the model's answer must not change between calls.
        var random = new Random(20261202);
        var gaps = new double[Arrivals];
        for (var i = 0; i < gaps.Length; i++) gaps[i] = -Math.Log(1 - random.NextDouble());
        return gaps;
    }
}
