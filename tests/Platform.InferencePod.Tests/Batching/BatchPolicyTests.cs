using Platform.InferencePod.Batching;

namespace Platform.InferencePod.Tests.Batching;

public sealed class BatchPolicyTests
{
    private const long Delay = 2_000;
    private static readonly DelayBenefit Helps = DelayBenefit.Initial;
    private static readonly DelayBenefit DoesNotHelp = new(0.0, 0);

    [Fact]
    public void A_full_batch_is_sent_at_once() =>
        Assert.True(BatchPolicy.Decide(100, new BatchCandidate(8, 100, long.MaxValue), 8, Delay, Helps).SendNow);

    [Fact]
    public void A_partial_batch_waits_until_the_head_request_has_waited_the_delay()
    {
        var decision = BatchPolicy.Decide(500, new BatchCandidate(3, 100, long.MaxValue), 8, Delay, Helps);
        Assert.False(decision.SendNow);
        Assert.Equal(100 + Delay, decision.WaitUntilTimestamp);
        Assert.True(BatchPolicy.Decide(100 + Delay, new BatchCandidate(3, 100, long.MaxValue), 8, Delay, Helps).SendNow);
    }

    [Fact]
    public void Without_a_delay_nothing_waits() =>
        Assert.True(BatchPolicy.Decide(100, new BatchCandidate(1, 100, long.MaxValue), 8, 0, Helps).SendNow);

    [Fact]
    public void Nothing_waits_when_recent_waits_gained_nothing() =>
        Assert.True(BatchPolicy.Decide(100, new BatchCandidate(1, 100, long.MaxValue), 8, Delay, DoesNotHelp).SendNow);

    [Fact]
    public void A_request_close_to_its_deadline_is_not_held_for_company() =>
        Assert.True(BatchPolicy.Decide(100, new BatchCandidate(1, 100, 100 + Delay / 2), 8, Delay, Helps).SendNow);

    [Fact]
    public void Waits_that_gain_rows_keep_waiting_worthwhile_and_waits_that_gain_none_stop_it()
    {
        var benefit = DelayBenefit.Initial;
        for (var i = 0; i < 10; i++) benefit = benefit.After(waited: true, rowsWhenFirstSeen: 1, rowsSent: 1);
        Assert.False(benefit.WaitingHelps);
        for (var i = 0; i < 10; i++) benefit = benefit.After(waited: true, rowsWhenFirstSeen: 1, rowsSent: 6);
        Assert.True(benefit.WaitingHelps);
    }

    [Fact]
    public void After_waiting_stopped_helping_probes_come_ever_more_rarely_while_they_gain_nothing()
    {
        var (benefit, probesAt) = Run(new DelayBenefit(0.0, 0), batches: 64 * (1 + 2 + 4 + 8) + 10, joined: 0);
        // Probes after 64, then 128, 256 and 512 more batches.
        Assert.Equal([64, 64 + 128 + 1, 64 + 128 + 256 + 2, 64 + 128 + 256 + 512 + 3], probesAt);
        Assert.Equal(64 * 16, benefit.ProbeInterval);
        (benefit, probesAt) = Run(benefit, batches: 100_000, joined: 0);
        // At most one lone request in 2048 waits.
        Assert.InRange(probesAt.Count, 100_000 / (DelayBenefit.MaxProbeEvery + 1) - 1, 100_000 / DelayBenefit.MaxProbeEvery + 1);
    }

    [Fact]
    public void A_probe_that_gains_rows_resumes_waiting_and_resets_the_probe_interval()
    {
        var benefit = new DelayBenefit(0.0, DelayBenefit.MaxProbeEvery, DelayBenefit.MaxProbeEvery);
        Assert.True(benefit.WaitingHelps);
        benefit = benefit.After(waited: true, rowsWhenFirstSeen: 1, rowsSent: 4);
        Assert.True(benefit.WaitingHelps);
        Assert.Equal(DelayBenefit.ProbeEvery, benefit.ProbeInterval);
    }

    /// <summary>Sends <paramref name="batches"/> batches; each wait gains <paramref name="joined"/> rows. Returns the batch indices that waited.</summary>
    private static (DelayBenefit Benefit, List<int> ProbesAt) Run(DelayBenefit benefit, int batches, int joined)
    {
        var probesAt = new List<int>();
        for (var i = 0; i < batches; i++)
        {
            if (benefit.WaitingHelps)
            {
                probesAt.Add(i);
                benefit = benefit.After(waited: true, 1, 1 + joined);
            }
            else
            {
                benefit = benefit.After(waited: false, -1, 1);
            }
        }
        return (benefit, probesAt);
    }
}
