namespace Platform.LoadGen.Http;

/// <summary>The intended send times of an open-loop run, fixed before it starts.</summary>
internal static class ArrivalSchedule
{
    /// <summary>Beyond this the per-request bookkeeping (about 40 bytes each) gets too large for a bench tool.</summary>
    public const int MaxRequests = 20_000_000;

    /// <summary>
    /// Offsets in seconds from the start, ascending, all below <paramref name="span"/>. Poisson arrivals
    /// have exponential gaps of mean 1/rate drawn from <paramref name="seed"/>; constant arrivals are 1/rate apart.
    /// </summary>
    public static double[] Offsets(ArrivalProcess process, double rate, TimeSpan span, int seed)
    {
        var expected = rate * span.TotalSeconds;
        if (expected > MaxRequests)
        {
            throw new UsageException($"--rate {rate} for {span.TotalSeconds:0.#} s is {expected:0} requests; shorten the run to stay under {MaxRequests:#,0}");
        }
        var random = new Random(seed);
        var offsets = new List<double>((int)(expected * 1.1) + 16);
        var t = 0.0;
        for (var i = 0; ; i++)
        {
            t = process == ArrivalProcess.Constant
                ? i / rate
                : t - Math.Log(1 - random.NextDouble()) / rate;
            if (t >= span.TotalSeconds || offsets.Count == MaxRequests)
            {
                return [.. offsets];
            }
            offsets.Add(t);
        }
    }
}
