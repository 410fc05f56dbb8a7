using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Platform.Operator.Controller;

/// <summary>
/// Runs the controller, under leader election when enabled: only the holder of the Lease
/// reconciles, and a replica that loses the lease stops and exits (as controller-runtime
/// does) so it never writes alongside a new leader.
/// </summary>
public sealed class LeaderElectedController(
    IKubernetes client,
    ControllerRunner runner,
    OperatorOptions options,
    OperatorMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<LeaderElectedController> logger) : BackgroundService
{
    private volatile bool _standby;

    /// <summary>Ready: caches synced while leading, or waiting as a healthy standby.</summary>
    public bool IsReady => _standby || runner.Synced.IsCompletedSuccessfully;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.LeaderElection.Enabled)
        {
            await RunControllerAsync(stoppingToken);
            return;
        }
        var election = options.LeaderElection;
        var identity = election.Identity ?? Environment.MachineName;
        var leaseLock = new LeaseLock(client, election.Namespace, election.LeaseName, identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = TimeSpan.FromSeconds(election.LeaseDurationSeconds),
            RenewDeadline = TimeSpan.FromSeconds(election.RenewDeadlineSeconds),
            RetryPeriod = TimeSpan.FromSeconds(election.RetryPeriodSeconds),
        });
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task? controller = null;
        elector.OnStartedLeading += () =>
        {
            _standby = false;
            metrics.Leader.Set(1);
            logger.LogInformation("Became leader ({Identity}) of lease {Namespace}/{Lease}", identity, election.Namespace, election.LeaseName);
            controller = RunControllerAsync(leading.Token);
        };
        elector.OnNewLeader += leader => logger.LogInformation("Lease {Lease} is held by {Leader}", election.LeaseName, leader);
        _standby = true;
        try
        {
            await elector.RunUntilLeadershipLostAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        metrics.Leader.Set(0);
        await leading.CancelAsync();
        if (controller is not null) await controller;
        if (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError("Lost the leader lease {Lease}; exiting so that only the new leader writes", election.LeaseName);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private async Task RunControllerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await runner.RunAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogCritical(e, "The controller stopped unexpectedly");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }
}
