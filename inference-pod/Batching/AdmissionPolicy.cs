namespace Platform.InferencePod.Batching;

/// <summary>What admission decides for a request that waits for its answer.</summary>
public enum AdmissionVerdict
{
    Admit,
    /// <summary>The backlog ahead would use too much of the deadline: 429, retrying later helps.</summary>
    BacklogTooLong,
    /// <summary>The request's own compute alone does not fit its deadline: 504, retrying does not help.</summary>
    ComputeExceedsDeadline,
}

/// <summary>Admission decisions beyond the queue's capacity, free of clocks and I/O.</summary>
public static class AdmissionPolicy
{
    /// <summary>
    /// A request is admitted when its own compute fits the time left to its deadline and the wait
    /// before its batch starts fits <see cref="WaitShare"/> of what remains after that compute.
    /// Under overload the queue then holds only work that finishes in time: a request that would
    /// expire is refused at once instead of being admitted, waiting, and answered 504.
    /// </summary>
    /// <param name="completion">Estimated time until the request's answer is ready if admitted now (the wait plus its own batch).</param>
    /// <param name="ownCompute">Its own compute on an idle instance.</param>
    /// <param name="remaining">Time left to its deadline.</param>
    public static AdmissionVerdict Decide(TimeSpan completion, TimeSpan ownCompute, TimeSpan remaining)
    {
        if (ownCompute > remaining) return AdmissionVerdict.ComputeExceedsDeadline;
        var wait = completion - ownCompute;
        return wait <= (remaining - ownCompute) * WaitShare ? AdmissionVerdict.Admit : AdmissionVerdict.BacklogTooLong;
    }

    /// <summary>
    /// The share of the slack (deadline less own compute) the queue wait may fill. Under
    /// sustained overload a backlog of a few batches already keeps every instance busy, so a
    /// longer one adds wait, not throughput; the other half is left for what the pod cannot see
    /// or predict: the client's own send delay, the transfer of the answer, the estimate's error.
    /// </summary>
    public const double WaitShare = 0.5;
}
