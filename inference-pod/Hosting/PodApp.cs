using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Contracts;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Caching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Gpu;
using Platform.InferencePod.Grpc;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Jobs;
using Platform.InferencePod.Lifecycle;
using Platform.InferencePod.Metrics;
using Platform.InferencePod.Model;
using Platform.InferencePod.Pipeline;
using Platform.InferencePod.Preprocessing;
using Platform.InferencePod.Protocol;
using Platform.InferencePod.RateLimiting;
using Prometheus;

namespace Platform.InferencePod.Hosting;

/// <summary>
/// Builds the pod: validated options, the model loaded once, scheduler, endpoints, metrics.
/// Every failure a user can fix surfaces as a <see cref="StartupException"/> before the
/// server starts listening.
/// </summary>
public static class PodApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is the program's own directory, so its appsettings.json (request-level
        // logs off) applies whatever directory the pod is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var options = PodOptions.Load(builder.Configuration);
        if (options.Server.LogFormat == "json")
        {
            // One JSON object per line, for log collectors; the same levels as the plain format.
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Server.MaxRequestBodyBytes;
        });
        builder.AddPodGrpc(options);
        // The host's shutdown budget covers the drain, plus a little for the server to close connections.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Server.DrainTimeout + TimeSpan.FromSeconds(2));

        var model = ModelLoader.Load(options.Model, options.Gpu, options.Batching.MaxBatchSize);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new PodMetricSet(registry, model.Metadata.Name, model.Metadata.Version);
        metrics.QueueCapacity.Set(options.Queue.Capacity);
        metrics.Instances.Set(model.Instances.Count);
        metrics.IntraOpThreads.Set(model.Layout.IntraOpThreads);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(model);
        builder.Services.AddSingleton(model.Metadata);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(TimeProvider.System);
        // Tests may put their own scheduler (over stand-in batch runners) in first.
        builder.Services.TryAddSingleton<InferenceScheduler>();
        builder.Services.AddSingleton<PodState>();
        builder.Services.AddSingleton<MetadataDocuments>();
        builder.Services.AddSingleton<WarmupConnections>();
        builder.Services.AddResponseCache(options.Cache);
        builder.Services.AddSingleton<InferencePipeline>();
        builder.Services.AddSingleton<RestCalls>();
        builder.Services.AddSingleton<InferHandler>();
        builder.Services.AddImageClassification(options, model.Metadata);
        builder.Services.AddInferenceJobs(options.Jobs);
        builder.Services.AddPodRateLimiting();
        builder.Services.AddPodGpu();
        builder.Services.AddHostedService<PodLifecycleService>();

        var app = builder.Build();
        var scheduler = app.Services.GetRequiredService<InferenceScheduler>();
        registry.AddBeforeCollectCallback(() => metrics.QueueDepth.Set(scheduler.QueuedRequests));
        app.MapV2();
        app.MapImageClassification();
        app.MapInferenceJobs();
        app.MapPodGrpc();
        app.MapMetrics(PodMetrics.Path, registry);
        app.Logger.LogInformation("{ThreadLayout}", ThreadLayoutReport.Describe(model.Layout, model.LayoutSource, model.Search, Environment.ProcessorCount));
        app.Logger.LogInformation("Serving model '{Model}' version {Version} from {Path}: inputs {Inputs}, batching {Batching} (max {MaxBatch}), {Instances} instance(s) x {IntraOpThreads} intra-op thread(s) on {Cpus} allowed CPU(s), provider {Provider}",
            model.Metadata.Name, model.Metadata.Version, options.Model.Path,
            string.Join(", ", model.Metadata.Inputs.Select(i => $"{i.Name} {i.DataType.ToProtocolName()} {RequestDecoder.Format(i.Shape)}")),
            model.Metadata.SupportsBatching, scheduler.MaxBatchSize, model.Instances.Count, model.Layout.IntraOpThreads, Environment.ProcessorCount, options.Model.ExecutionProvider);
        return app;
    }
}
