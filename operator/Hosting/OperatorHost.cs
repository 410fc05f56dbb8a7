using k8s;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling;
using Platform.Operator.Autoscaling.Actuation;
using Platform.Operator.Autoscaling.Prometheus;
using Platform.Operator.Autoscaling.Scraping;
using Platform.Operator.Controller;
using Platform.Operator.Reconciliation;
using Prometheus;

namespace Platform.Operator.Hosting;

/// <summary>A start-up failure the user fixes in configuration; its message is the one line printed.</summary>
public sealed class OperatorStartupException(string message) : Exception(message);

/// <summary>
/// Builds the operator process: the Kubernetes client (in-cluster, --kubeconfig, or
/// Kubernetes:Host), informers, reconciler, work queue, leader election, and the
/// /healthz, /readyz and /metrics endpoints.
/// </summary>
public static class OperatorHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var options = new OperatorOptions();
        try
        {
            builder.Configuration.GetSection("Operator").Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new OperatorStartupException("invalid configuration: " + e.Message.Split('\n')[0]);
        }
        var errors = options.Validate();
        if (errors.Count > 0) throw new OperatorStartupException("invalid configuration: " + string.Join("; ", errors));
        var settings = new ReconcileSettings { DefaultImage = options.DefaultImage, ClusterDomain = options.ClusterDomain };
        var settingsErrors = settings.Validate();
        if (settingsErrors.Count > 0) throw new OperatorStartupException("invalid configuration: " + string.Join("; ", settingsErrors));

        var client = new Kubernetes(ClientConfiguration(builder.Configuration));
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new OperatorMetrics(registry);
        var time = TimeProvider.System;
        var selector = $"{ResourceLabels.ManagedBy}={settings.FieldManager}";
        var ns = string.IsNullOrWhiteSpace(options.WatchNamespace) ? null : options.WatchNamespace;

        builder.Services.AddSingleton<IKubernetes>(client);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(sp => new ClusterCache(
            new Informer<InferenceService>("InferenceService", new InferenceServiceSource(client, ns), time, Logger(sp, "InferenceService")),
            new Informer<k8s.Models.V1Deployment>("Deployment", OwnedSources.Deployments(client, ns, selector), time, Logger(sp, "Deployment")),
            new Informer<k8s.Models.V1Service>("Service", OwnedSources.Services(client, ns, selector), time, Logger(sp, "Service")),
            new Informer<k8s.Models.V1PodDisruptionBudget>("PodDisruptionBudget", OwnedSources.PodDisruptionBudgets(client, ns, selector), time, Logger(sp, "PodDisruptionBudget")),
            new Informer<k8s.Models.V1Pod>("Pod", OwnedSources.Pods(client, ns, selector), time, Logger(sp, "Pod"))));
        builder.Services.AddSingleton(new ClusterWriter(client, settings.FieldManager, metrics));
        builder.Services.AddSingleton(sp => new EventRecorder(sp.GetRequiredService<ClusterWriter>(), time, sp.GetRequiredService<ILogger<EventRecorder>>(),
            settings.FieldManager, options.LeaderElection.Identity ?? Environment.MachineName));
        builder.Services.AddSingleton<AutoscalerRegistry>();
        builder.Services.AddSingleton(sp => new InferenceServiceReconciler(sp.GetRequiredService<ClusterCache>(), sp.GetRequiredService<ClusterWriter>(),
            sp.GetRequiredService<EventRecorder>(), settings, sp.GetRequiredService<AutoscalerRegistry>(), time));
        builder.Services.AddSingleton(new WorkQueue<string>(time));
        // A failed scrape is one rate-limited Warning line from the autoscaler, not the client factory's stack traces.
        builder.Services.AddHttpClient(nameof(PodMetricsScraper)).RemoveAllLoggers();
        builder.Services.AddSingleton(sp => new PodMetricsScraper(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(PodMetricsScraper)), time,
            TimeSpan.FromSeconds(options.Autoscaler.ScrapeTimeoutSeconds), new ExpositionLimits { MaxBytes = options.Autoscaler.MaxMetricsBytes }));
        builder.Services.AddSingleton(sp => new AutoscalerLoop(sp.GetRequiredService<ClusterCache>(), sp.GetRequiredService<WorkQueue<string>>(),
            sp.GetRequiredService<AutoscalerRegistry>(), sp.GetRequiredService<PodMetricsScraper>(), sp.GetRequiredService<EventRecorder>(), metrics, time,
            sp.GetRequiredService<ILogger<AutoscalerLoop>>(), TimeSpan.FromSeconds(options.Autoscaler.TickSeconds)));
        builder.Services.AddSingleton(sp => new ControllerRunner(sp.GetRequiredService<ClusterCache>(), sp.GetRequiredService<InferenceServiceReconciler>(),
            sp.GetRequiredService<AutoscalerLoop>(), sp.GetRequiredService<WorkQueue<string>>(), metrics, time, sp.GetRequiredService<ILogger<ControllerRunner>>(),
            options.Workers, TimeSpan.FromSeconds(options.ResyncSeconds)));
        builder.Services.AddSingleton<LeaderElectedController>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LeaderElectedController>());

        var app = builder.Build();
        var controller = app.Services.GetRequiredService<LeaderElectedController>();
        app.MapGet("/healthz", () => Results.Ok("ok"));
        app.MapGet("/readyz", () => controller.IsReady ? Results.Ok("ok") : Results.Text("caches not synced", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapMetrics("/metrics", registry);
        return app;
    }

    private static ILogger Logger(IServiceProvider services, string kind) => services.GetRequiredService<ILoggerFactory>().CreateLogger($"Platform.Operator.Informer.{kind}");

    /// <summary>Kubernetes:Host (a plain URL, for local servers and tests), else --kubeconfig or KUBECONFIG, else in-cluster, else ~/.kube/config.</summary>
    private static KubernetesClientConfiguration ClientConfiguration(IConfiguration configuration)
    {
        try
        {
            if (configuration["Kubernetes:Host"] is { Length: > 0 } host) return new KubernetesClientConfiguration { Host = host };
            if ((configuration["kubeconfig"] ?? Environment.GetEnvironmentVariable("KUBECONFIG")) is { Length: > 0 } path)
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
            return KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile();
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or FileNotFoundException or IOException)
        {
            throw new OperatorStartupException($"no usable Kubernetes configuration (--kubeconfig, KUBECONFIG, in-cluster, or ~/.kube/config): {e.Message.Split('\n')[0]}");
        }
    }
}
