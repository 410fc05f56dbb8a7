using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.InferencePod.Caching;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Model;
using Platform.InferencePod.Pipeline;
using Prometheus;

namespace Platform.InferencePod.Jobs;

/// <summary>Registers and maps the asynchronous job endpoints.</summary>
public static class JobsServices
{
    public static IServiceCollection AddInferenceJobs(this IServiceCollection services, JobsOptions options)
    {
        services.TryAddSingleton<RedisConnections>();
        if (options.Enabled)
        {
            services.AddSingleton(provider =>
            {
                var model = provider.GetRequiredService<ModelMetadata>();
                var time = provider.GetRequiredService<TimeProvider>();
                IJobStore? store = null;
                if (options.UsesRedis)
                {
                    var timeout = TimeSpan.FromMilliseconds(options.RedisTimeoutMs);
                    store = new RedisJobStore(provider.GetRequiredService<RedisConnections>().Get(options.Redis!, timeout).GetDatabase(), timeout, time);
                }
                return new JobService(
                    provider.GetRequiredService<InferencePipeline>(),
                    new JobTable(options.MaxJobs, options.ResultTtl, time),
                    store,
                    options,
                    new JobMetrics(provider.GetRequiredService<CollectorRegistry>(), model.Name),
                    time,
                    provider.GetRequiredService<ILogger<JobService>>());
            });
        }
        services.AddSingleton<JobsHandler>();
        return services;
    }

    public static void MapInferenceJobs(this WebApplication app)
    {
        var handler = app.Services.GetRequiredService<JobsHandler>();
        app.MapPost("/v2/models/{name}/jobs", context => handler.SubmitAsync(context, Value(context, "name"), null));
        app.MapPost("/v2/models/{name}/versions/{version}/jobs", context => handler.SubmitAsync(context, Value(context, "name"), Value(context, "version")));
        app.MapGet("/v2/jobs/{id}", context => handler.GetAsync(context, Value(context, "id")));
        app.MapDelete("/v2/jobs/{id}", context => handler.CancelAsync(context, Value(context, "id")));
    }

    private static string Value(HttpContext context, string key) => (string)context.Request.RouteValues[key]!;
}
