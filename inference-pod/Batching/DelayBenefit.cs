namespace Platform.InferencePod.Batching;

/// <summary>
/// Whether waiting for a batch to fill has paid off lately: an exponentially weighted mean of
/// the rows that joined while a batch waited. When waits stop gaining rows the batcher sends
/// at once, and probes with a wait every <see cref="ProbeEvery"/> batches to notice when
/// traffic comes back.
/// </summary>
public readonly record struct DelayBenefit(double JoinedRowsMean, int BatchesSinceWait)
{
    public const double Weight = 0.25;
    public const double Threshold = 0.5;
    public const int ProbeEvery = 64;

    /// <summary>Optimistic start: the first batches wait, so the estimate learns from evidence.</summary>
    public static readonly DelayBenefit Initial = new(1.0, 0);

    public bool WaitingHelps => JoinedRowsMean >= Threshold || BatchesSinceWait >= ProbeEvery;

    /// <summary>The estimate after a batch was sent; <paramref name="waited"/> says whether it waited.</summary>
    public DelayBenefit After(bool waited, int rowsWhenFirstSeen, int rowsSent) => waited
        ? new DelayBenefit(JoinedRowsMean + Weight * (rowsSent - rowsWhenFirstSeen - JoinedRowsMean), 0)
        : this with { BatchesSinceWait = BatchesSinceWait + 1 };
}
