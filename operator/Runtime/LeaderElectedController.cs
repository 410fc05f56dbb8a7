using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Platform.Operator.Runtime;

/// <summary>
/// Runs the controller, under leader election when enabled: only the holder of the Lease
/// reconciles, and a replica that loses the lease stops and exits (as controller-runtime
/// does) so it never writes alongside a new leader. A graceful stop releases the Lease once
/// the controller has stopped (controller-runtime's ReleaseOnCancel), so the next replica
/// takes over at once instead of waiting the lease out.
/// </summary>
public sealed class LeaderElectedController(
    IKubernetes client,
    ControllerRunner runner,
    LeaderElectionOptions election,
    ControllerMetrics metrics,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<LeaderElectedController> logger) : BackgroundService
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);
    private volatile bool _standby;

    /// <summary>Ready: caches synced while leading, or waiting as a healthy standby.</summary>
    public bool IsReady => _standby || runner.Synced.IsCompletedSuccessfully;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!election.Enabled)
        {
            await RunControllerAsync(stoppingToken);
            return;
        }
        var identity = election.EffectiveIdentity;
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
            return;
        }
        // Released whenever the Lease may be ours, also when it was written but leading had not
        // started yet: ReleaseAsync touches it only while it still names this replica.
        await ReleaseAsync(leaseLock, identity);
    }

    /// <summary>
    /// Marks the Lease free (no holder, a one-second duration), as client-go does on release;
    /// only while this replica still holds it, and the replace is guarded by the resourceVersion
    /// just read, so a lease already taken over is never touched.
    /// </summary>
    private async Task ReleaseAsync(LeaseLock leaseLock, string identity)
    {
        using var timeout = new CancellationTokenSource(ReleaseTimeout, time);
        try
        {
            var record = await leaseLock.GetAsync(timeout.Token);
            if (record.HolderIdentity != identity) return;
            var now = time.GetUtcNow().UtcDateTime;
            var released = await leaseLock.UpdateAsync(new LeaderElectionRecord
            {
                HolderIdentity = "",
                LeaseDurationSeconds = 1,
                AcquireTime = now,
                RenewTime = now,
                LeaderTransitions = record.LeaderTransitions,
            }, timeout.Token);
            if (released) logger.LogInformation("Released the leader lease {Namespace}/{Lease}", election.Namespace, election.LeaseName);
            else logger.LogWarning("Could not release the leader lease {Namespace}/{Lease}; the next leader waits for it to expire", election.Namespace, election.LeaseName);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not release the leader lease {Namespace}/{Lease} ({Error}); the next leader waits for it to expire", election.Namespace, election.LeaseName, e.Message);
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
