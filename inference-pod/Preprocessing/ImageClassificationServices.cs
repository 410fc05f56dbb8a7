using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Model;
using Prometheus;

namespace Platform.InferencePod.Preprocessing;

/// <summary>Registers and maps the classify endpoint; the pipeline is resolved against the model at start-up.</summary>
public static class ImageClassificationServices
{
    /// <summary>Throws <see cref="StartupException"/> when the settings do not fit the model.</summary>
    public static IServiceCollection AddImageClassification(this IServiceCollection services, PodOptions options, ModelMetadata model)
    {
        if (options.Preprocessing.Enabled)
        {
            var pipeline = ImagePipeline.Resolve(options.Preprocessing, model);
            var head = ClassificationHead.Resolve(options.Postprocessing, model);
            DecodeWarmup.Run(pipeline);
            services.AddSingleton(provider => new DecodePool(options.Preprocessing.ResolvedDecodeThreads, options.Preprocessing.MaxQueuedDecodes,
                options.Preprocessing.DecodeTimeout, provider.GetRequiredService<TimeProvider>()));
            services.AddSingleton(provider =>
            {
                var factory = Prometheus.Metrics.WithCustomRegistry(provider.GetRequiredService<CollectorRegistry>());
                var duration = factory.CreateHistogram(PodMetrics.PreprocessDuration, "Time to decode and preprocess the images of one request in seconds.",
                    new HistogramConfiguration { Buckets = PodMetrics.LatencyBuckets, LabelNames = [PodMetrics.ModelLabel] }).WithLabels(model.Name);
                return new ImageClassifier(pipeline, head, provider.GetRequiredService<DecodePool>(), duration, provider.GetRequiredService<TimeProvider>());
            });
        }
        services.AddSingleton<ClassifyHandler>();
        return services;
    }

    public static void MapImageClassification(this WebApplication app)
    {
        var handler = app.Services.GetRequiredService<ClassifyHandler>();
        app.MapPost("/v2/models/{name}/classify", context => handler.HandleAsync(context, Name(context), null));
        app.MapPost("/v2/models/{name}/versions/{version}/classify", context => handler.HandleAsync(context, Name(context), (string)context.Request.RouteValues["version"]!));
    }

    private static string Name(HttpContext context) => (string)context.Request.RouteValues["name"]!;
}
