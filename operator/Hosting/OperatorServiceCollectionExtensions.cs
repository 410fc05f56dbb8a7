using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling;
using Platform.Operator.Autoscaling.Actuation;
using Platform.Operator.Autoscaling.Prometheus;
using Platform.Operator.Autoscaling.Scraping;
using Platform.Operator.Controller;
using Platform.Operator.Reconciliation;
using Platform.Operator.Runtime;

namespace Platform.Operator.Hosting;

/// <summary>The operator's parts, each registered by one call with options validated before (<see cref="OperatorConfiguration"/>).</summary>
public static class OperatorServiceCollectionExtensions
{
    /// <summary>The Kubernetes client, from <see cref="OperatorConfiguration.KubernetesClient"/>.</summary>
    public static IServiceCollection AddKubernetesClient(this IServiceCollection services, KubernetesClientConfiguration configuration)
    {
        services.AddSingleton<IKubernetes>(new Kubernetes(configuration));
        return services;
    }

    /// <summary>The InferenceService controller: caches, writer, events, the server's capabilities and the reconciler, as the runtime's source and reconciler.</summary>
    public static IServiceCollection AddInferenceServiceController(this IServiceCollection services, OperatorOptions options, ReconcileSettings settings)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(settings);
        services.AddSingleton<OperatorMetrics>();
        var ns = string.IsNullOrWhiteSpace(options.WatchNamespace) ? null : options.WatchNamespace;
        var selector = $"{ResourceLabels.ManagedBy}={settings.FieldManager}";
        services.AddSingleton(sp => Informer<InferenceService>(sp, "InferenceService", new InferenceServiceSource(sp.GetRequiredService<IKubernetes>(), ns)));
        services.AddSingleton(sp => Informer<V1Deployment>(sp, "Deployment", OwnedSources.Deployments(sp.GetRequiredService<IKubernetes>(), ns, selector)));
        services.AddSingleton(sp => Informer<V1Service>(sp, "Service", OwnedSources.Services(sp.GetRequiredService<IKubernetes>(), ns, selector)));
        services.AddSingleton(sp => Informer<V1PodDisruptionBudget>(sp, "PodDisruptionBudget", OwnedSources.PodDisruptionBudgets(sp.GetRequiredService<IKubernetes>(), ns, selector)));
        services.AddSingleton(sp => Informer<V1Pod>(sp, "Pod", OwnedSources.Pods(sp.GetRequiredService<IKubernetes>(), ns, selector)));
        services.AddSingleton<ClusterCache>();
        services.AddSingleton<ClusterWriter>();
        services.AddSingleton(new EventRecorderOptions(settings.FieldManager, options.LeaderElection.EffectiveIdentity));
        services.AddSingleton<EventRecorder>();
        services.AddSingleton<ServerCapabilities>();
        services.AddSingleton<AutoscalerRegistry>();
        services.AddSingleton<InferenceServiceReconciler>();
        services.AddSingleton<IReconciler>(sp => sp.GetRequiredService<InferenceServiceReconciler>());
        services.AddSingleton<IControllerSource, InferenceServiceWatches>();
        return services;
    }

    /// <summary>The builtin autoscaler's loop, run while this replica leads.</summary>
    public static IServiceCollection AddBuiltinAutoscaler(this IServiceCollection services, AutoscalerOptions options)
    {
        // A failed scrape is one rate-limited Warning line from the autoscaler, not the client factory's stack traces.
        services.AddHttpClient(nameof(PodMetricsScraper)).RemoveAllLoggers();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<PodMetricsScraper>(sp,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(PodMetricsScraper)),
            TimeSpan.FromSeconds(options.ScrapeTimeoutSeconds), new ExpositionLimits { MaxBytes = options.MaxMetricsBytes }));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<AutoscalerLoop>(sp, TimeSpan.FromSeconds(options.TickSeconds)));
        services.AddSingleton<ILeaderLoop, AutoscalerLeaderLoop>();
        return services;
    }

    private static Informer<T> Informer<T>(IServiceProvider services, string kind, IResourceSource<T> source) where T : class, IKubernetesObject<V1ObjectMeta> =>
        new(kind, source, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILoggerFactory>().CreateLogger($"Platform.Operator.Informer.{kind}"),
            CacheTransforms.For<T>());

    /// <summary>Runs the autoscaler's loop beside the reconcile workers.</summary>
    private sealed class AutoscalerLeaderLoop(AutoscalerLoop loop) : ILeaderLoop
    {
        public Task RunAsync(CancellationToken cancellationToken) => loop.RunAsync(cancellationToken);
    }
}
