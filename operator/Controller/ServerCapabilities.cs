using k8s;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Controller;

/// <summary>
/// Reads the API server's version once, before the caches sync, and keeps the capabilities it
/// implies for reconcile. A failed read is retried with back-off (the server may be starting);
/// what the server lacks is logged as one warning.
/// </summary>
public sealed class ServerCapabilities(IKubernetes client, ReconcileSettings settings, TimeProvider time, ILogger<ServerCapabilities> logger)
{
    private readonly TaskCompletionSource<ClusterCapabilities> _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the capabilities once read.</summary>
    public Task<ClusterCapabilities> Loaded => _loaded.Task;

    /// <summary>The capabilities; only valid after <see cref="Loaded"/> completed (reconcile runs after sync, so it always is).</summary>
    public ClusterCapabilities Current => _loaded.Task.IsCompletedSuccessfully
        ? _loaded.Task.Result
        : throw new InvalidOperationException("The API server's version has not been read yet.");

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded.Task.IsCompleted) return;
        var backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                var info = await client.Version.GetCodeAsync(cancellationToken);
                var version = KubernetesVersion.Parse(info.Major, info.Minor, info.GitVersion)
                    ?? throw new FormatException($"unreadable version (major '{info.Major}', minor '{info.Minor}', gitVersion '{info.GitVersion}')");
                var capabilities = new ClusterCapabilities(version, info.GitVersion ?? version.ToString());
                if (capabilities.StartupWarning(settings.PreStopSleepSeconds) is { } warning) logger.LogWarning("{Warning}", warning);
                else logger.LogInformation("Kubernetes API server {Version}", capabilities.ServerVersion);
                _loaded.TrySetResult(capabilities);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not read the API server's version ({Error}); retrying in {Delay} ms", e.Message, backoff.TotalMilliseconds);
                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }
}
