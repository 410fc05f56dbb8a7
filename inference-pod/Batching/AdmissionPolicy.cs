namespace Platform.InferencePod.Batching;

/// <summary>Admission decisions beyond the queue's capacity, free of clocks and I/O.</summary>
public static class AdmissionPolicy
{
    /// <summary>
    /// A request is admitted when the backlog ahead of it plus its own compute fits in the time
    /// left to its deadline. Estimates are of the recent past, so the slack is generous: only a
    /// request that would clearly expire is refused.
    /// </summary>
    public static bool CanMeetDeadline(TimeSpan backlog, TimeSpan ownCompute, TimeSpan remaining) =>
        backlog + ownCompute <= remaining * Slack;

    /// <summary>Room for estimation error: refuse only beyond 1.5× the time left.</summary>
    public const double Slack = 1.5;
}
