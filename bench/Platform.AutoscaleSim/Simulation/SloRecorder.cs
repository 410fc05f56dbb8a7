using Platform.AutoscaleSim.Cluster;

namespace Platform.AutoscaleSim.Simulation;

/// <summary>
/// Counts every request against the latency SLO, by the 10 s window of its arrival. A
/// refused request is a miss, with infinite latency in its window's p95.
/// </summary>
public sealed class SloRecorder : ILatencySink
{
    public const double WindowSeconds = 10;

    // Log-spaced latency bins (2% wide) from 0.1 ms; the last bin holds everything above.
    private const double MinLatency = 1e-4;
    private const double BinRatio = 1.02;
    private const int Bins = 700;

    private readonly double _slo;
    private readonly long[][] _histograms;
    private readonly long[] _refused;
    private readonly double _logRatio = Math.Log(BinRatio);

    public SloRecorder(double sloSeconds, double durationSeconds)
    {
        _slo = sloSeconds;
        var windows = (int)Math.Ceiling(durationSeconds / WindowSeconds);
        _histograms = new long[windows][];
        for (var i = 0; i < windows; i++)
        {
            _histograms[i] = new long[Bins];
        }

        _refused = new long[windows];
    }

    public long Answered { get; private set; }

    public long AnsweredWithinSlo { get; private set; }

    public long Refused { get; private set; }

    public long Offered => Answered + Refused;

    public void OnAnswered(double completedAt, double latencySeconds, int count)
    {
        Answered += count;
        if (latencySeconds <= _slo)
        {
            AnsweredWithinSlo += count;
        }

        var window = WindowOf(completedAt - latencySeconds);
        if (window >= 0)
        {
            _histograms[window][Bin(latencySeconds)] += count;
        }
    }

    public void OnRefused(double at, int count)
    {
        if (count <= 0)
        {
            return;
        }

        Refused += count;
        var window = WindowOf(at);
        if (window >= 0)
        {
            _refused[window] += count;
        }
    }

    public int Windows => _histograms.Length;

    /// <summary>The window's p95 in seconds (+Inf when more than 5% were refused); NaN for an empty window.</summary>
    public double WindowP95(int window)
    {
        var histogram = _histograms[window];
        long answered = 0;
        foreach (var c in histogram)
        {
            answered += c;
        }

        var total = answered + _refused[window];
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(0.95 * total);
        if (rank > answered)
        {
            return double.PositiveInfinity;
        }

        long seen = 0;
        for (var b = 0; b < Bins; b++)
        {
            seen += histogram[b];
            if (seen >= rank)
            {
                return b == Bins - 1 ? double.PositiveInfinity : MinLatency * Math.Pow(BinRatio, b + 1);
            }
        }

        return double.PositiveInfinity;
    }

    private int WindowOf(double at)
    {
        var w = (int)(at / WindowSeconds);
        return w >= 0 && w < _histograms.Length ? w : -1;
    }

    private int Bin(double latency)
    {
        if (latency <= MinLatency)
        {
            return 0;
        }

        var b = (int)(Math.Log(latency / MinLatency) / _logRatio);
        return Math.Min(b, Bins - 1);
    }
}
