using Platform.Operator.Runtime;
using Prometheus;

namespace Platform.Operator.Hosting;

/// <summary>A start-up failure the user fixes in configuration; its message is the one line printed.</summary>
public sealed class OperatorStartupException(string message) : Exception(message);

/// <summary>
/// Builds the operator process: settings validated once, then the Kubernetes client, the
/// InferenceService controller, the builtin autoscaler and the controller runtime that runs
/// them (work queue, workers, leader election), and the /healthz, /readyz and /metrics endpoints.
/// </summary>
public static class OperatorHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var configuration = OperatorConfiguration.Read(builder.Configuration);
        var registry = Prometheus.Metrics.NewCustomRegistry();

        builder.Services.AddSingleton(registry);
        builder.Services.AddKubernetesClient(configuration.KubernetesClient);
        builder.Services.AddInferenceServiceController(configuration.Options, configuration.Settings);
        builder.Services.AddBuiltinAutoscaler(configuration.Options.Autoscaler);
        builder.Services.AddControllerRuntime(configuration.Controller, configuration.Options.LeaderElection);

        var app = builder.Build();
        var controller = app.Services.GetRequiredService<LeaderElectedController>();
        app.MapGet("/healthz", () => Results.Ok("ok"));
        app.MapGet("/readyz", () => controller.IsReady ? Results.Ok("ok") : Results.Text("caches not synced", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapMetrics("/metrics", registry);
        return app;
    }
}
