using Platform.Contracts;

namespace Platform.InferencePod.Jobs;

/// <summary>Where a job is: waiting in the admission queue, in a model run, or finished one of three ways.</summary>
public enum JobStatus { Queued, Running, Succeeded, Failed, Cancelled }

public static class JobStatuses
{
    public static string ToProtocolName(this JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Running => "running",
        JobStatus.Succeeded => PodMetrics.JobStatuses.Succeeded,
        JobStatus.Failed => PodMetrics.JobStatuses.Failed,
        JobStatus.Cancelled => PodMetrics.JobStatuses.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool IsFinished(this JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;
}
