namespace Platform.InferencePod.Batching;

/// <summary>What an idle model instance sees at the head of the queue.</summary>
/// <param name="Rows">Rows of compatible requests available now, up to the maximum batch size.</param>
/// <param name="OldestEnqueuedTimestamp">Arrival of the head request.</param>
/// <param name="EarliestDeadlineTimestamp">The nearest deadline among the candidates.</param>
public readonly record struct BatchCandidate(int Rows, long OldestEnqueuedTimestamp, long EarliestDeadlineTimestamp);

/// <summary>Send the candidates now, or wait for more until <see cref="WaitUntilTimestamp"/>.</summary>
public readonly record struct BatchDecision(bool SendNow, long WaitUntilTimestamp)
{
    public static readonly BatchDecision Now = new(true, 0);
}

/// <summary>
/// The batching decision, free of I/O and clocks: like Triton's dynamic batcher, send when the
/// batch is full or the head request has waited <c>maxQueueDelay</c>; unlike a fixed delay,
/// do not wait at all when recent waits gained nothing (a lone client, or a lightly loaded
/// pod), because then waiting only adds latency.
/// </summary>
public static class BatchPolicy
{
    public static BatchDecision Decide(long now, in BatchCandidate candidate, int maxBatchSize, long maxQueueDelayTicks, in DelayBenefit benefit)
    {
        if (candidate.Rows >= maxBatchSize || maxQueueDelayTicks <= 0 || !benefit.WaitingHelps)
            return BatchDecision.Now;
        // A request whose deadline is nearer than one full delay is not made to wait for company.
        if (candidate.EarliestDeadlineTimestamp - now <= maxQueueDelayTicks)
            return BatchDecision.Now;
        var waitUntil = candidate.OldestEnqueuedTimestamp + maxQueueDelayTicks;
        return now >= waitUntil ? BatchDecision.Now : new BatchDecision(false, waitUntil);
    }
}
