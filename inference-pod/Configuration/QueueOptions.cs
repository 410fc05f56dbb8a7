namespace Platform.InferencePod.Configuration;

/// <summary>Admission (section "Queue").</summary>
public sealed class QueueOptions
{
    /// <summary>Requests admitted but not yet computing; beyond it requests get 429.</summary>
    public int Capacity { get; set; } = 256;
    /// <summary>Deadline of a request from its arrival; a request may only shorten it.</summary>
    public double DefaultTimeoutMs { get; set; } = 30_000;
    /// <summary>Priority levels; level 1 is served first.</summary>
    public int PriorityLevels { get; set; } = 2;

    public TimeSpan DefaultTimeout => TimeSpan.FromMilliseconds(DefaultTimeoutMs);
}
