using Platform.Contracts;
using Prometheus;

namespace Platform.InferencePod.Jobs;

/// <summary>The job feature's instruments.</summary>
public sealed class JobMetrics
{
    private readonly Counter.Child[] _finished;

    public JobMetrics(CollectorRegistry registry, string model)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var jobs = factory.CreateCounter(PodMetrics.Jobs, "Asynchronous jobs that finished, by status.", [PodMetrics.ModelLabel, PodMetrics.StatusLabel]);
        _finished = new Counter.Child[Enum.GetValues<JobStatus>().Length];
        foreach (var status in new[] { JobStatus.Succeeded, JobStatus.Failed, JobStatus.Cancelled })
            _finished[(int)status] = jobs.WithLabels(model, status.ToProtocolName());
        StoreErrors = factory.CreateCounter(PodMetrics.JobStoreErrors, "Failed reads and writes of the shared job store.", [PodMetrics.ModelLabel]).WithLabels(model);
    }

    public Counter.Child StoreErrors { get; }

    public void CountFinished(JobStatus status) => _finished[(int)status].Inc();
}
