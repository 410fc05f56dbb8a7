namespace Platform.InferencePod.Batching;

/// <summary>
/// Whether waiting for a batch to fill has paid off lately: an exponentially weighted mean of
/// the rows that joined while a batch waited. When waits stop gaining rows the batcher sends
/// at once, and probes with a wait every <see cref="ProbeInterval"/> batches to notice when
/// traffic comes back. Each probe that gains nothing doubles the interval, up to
/// <see cref="MaxProbeEvery"/>, so a pod serving lone requests pays the probe's wait on ever
/// fewer of them (a fixed 1 in 64 would put it in the p99); one that gains rows resets it.
/// </summary>
public readonly record struct DelayBenefit(double JoinedRowsMean, int BatchesSinceWait, int ProbeInterval = DelayBenefit.ProbeEvery)
{
    public const double Weight = 0.25;
    public const double Threshold = 0.5;
    public const int ProbeEvery = 64;
    public const int MaxProbeEvery = 2048;

    /// <summary>Optimistic start: the first batches wait, so the estimate learns from evidence.</summary>
    public static readonly DelayBenefit Initial = new(1.0, 0);

    public bool WaitingHelps => JoinedRowsMean >= Threshold || BatchesSinceWait >= ProbeInterval;

    /// <summary>The estimate after a batch was sent; <paramref name="waited"/> says whether it waited.</summary>
    public DelayBenefit After(bool waited, int rowsWhenFirstSeen, int rowsSent)
    {
        if (!waited) return this with { BatchesSinceWait = BatchesSinceWait + 1 };
        var joined = rowsSent - rowsWhenFirstSeen;
        var probe = JoinedRowsMean < Threshold;
        var interval = joined > 0 ? ProbeEvery : probe ? Math.Min(ProbeInterval * 2, MaxProbeEvery) : ProbeInterval;
        return new DelayBenefit(JoinedRowsMean + Weight * (joined - JoinedRowsMean), 0, interval);
    }
}
