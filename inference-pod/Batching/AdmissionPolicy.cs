namespace Platform.InferencePod.Batching;

/// <summary>Admission decisions beyond the queue's capacity, free of clocks and I/O.</summary>
public static class AdmissionPolicy
{
    /// <summary>
    /// A request is admitted when the backlog ahead of it plus its own compute fits in the
    /// usable part of the time left to its deadline. Under overload the queue then holds only
    /// work that finishes in time: a request that would expire is refused at once instead of
    /// being admitted, waiting, and answered 504.
    /// </summary>
    public static bool CanMeetDeadline(TimeSpan backlog, TimeSpan ownCompute, TimeSpan remaining) =>
        backlog + ownCompute <= remaining * Headroom;

    /// <summary>The share of the remaining time the estimate may fill; the rest absorbs estimation error and the answer's transfer.</summary>
    public const double Headroom = 0.8;
}
