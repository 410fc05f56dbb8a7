using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Platform.Operator.Runtime;

/// <summary>Registers the controller runtime: work queue, runner, leader election (a hosted service) and their metrics.</summary>
public static class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Needs an <see cref="IControllerSource"/>, an <see cref="IReconciler"/>, an
    /// <c>IKubernetes</c> and a Prometheus <c>CollectorRegistry</c> registered; any
    /// <see cref="ILeaderLoop"/>s registered run while this replica leads.
    /// </summary>
    public static IServiceCollection AddControllerRuntime(this IServiceCollection services, ControllerOptions controller, LeaderElectionOptions election)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(election);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(controller);
        services.AddSingleton(election);
        services.AddSingleton<ControllerMetrics>();
        services.AddSingleton<WorkQueue<string>>();
        services.AddSingleton<ControllerRunner>();
        services.AddSingleton<LeaderElectedController>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaderElectedController>());
        return services;
    }
}
