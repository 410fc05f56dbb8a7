using Microsoft.Extensions.Configuration;
using Platform.Contracts;
using Platform.InferencePod.Gpu;
using Platform.InferencePod.RateLimiting;

namespace Platform.InferencePod.Configuration;

/// <summary>All pod settings, bound from configuration and validated together at start-up.</summary>
public sealed record PodOptions(ModelOptions Model, BatchingOptions Batching, QueueOptions Queue, WarmupOptions Warmup, ServerOptions Server)
{
    public PreprocessingOptions Preprocessing { get; init; } = new();
    public PostprocessingOptions Postprocessing { get; init; } = new();
    public CacheOptions Cache { get; init; } = new();
    public JobsOptions Jobs { get; init; } = new();
    public RateLimitOptions RateLimits { get; init; } = new();
    public GpuOptions Gpu { get; init; } = new();

    /// <summary>Binds and validates; throws <see cref="StartupException"/> with one line naming every bad setting.</summary>
    public static PodOptions Load(IConfiguration configuration)
    {
        var options = new PodOptions(
            Bind<ModelOptions>(configuration, PodSettings.ModelSection),
            Bind<BatchingOptions>(configuration, PodSettings.BatchingSection),
            Bind<QueueOptions>(configuration, PodSettings.QueueSection),
            Bind<WarmupOptions>(configuration, PodSettings.WarmupSection),
            Bind<ServerOptions>(configuration, PodSettings.ServerSection))
        {
            Preprocessing = Bind<PreprocessingOptions>(configuration, PodSettings.PreprocessingSection),
            Postprocessing = Bind<PostprocessingOptions>(configuration, PodSettings.PostprocessingSection),
            Cache = Bind<CacheOptions>(configuration, PodSettings.CacheSection),
            Jobs = Bind<JobsOptions>(configuration, PodSettings.JobsSection),
            RateLimits = Bind<RateLimitOptions>(configuration, PodSettings.RateLimitsSection),
            Gpu = Bind<GpuOptions>(configuration, PodSettings.GpuSection),
        };
        options.Warmup.ApplyProviderDefault(options.Model.ExecutionProvider, options.Batching.MaxBatchSize);
        var errors = PodOptionsValidator.Validate(options.Model, options.Batching, options.Queue, options.Warmup, options.Server);
        errors.AddRange(FeatureOptionsValidator.Validate(options.Preprocessing, options.Postprocessing, options.Cache, options.Jobs));
        errors.AddRange(RateLimitOptionsValidator.Validate(options.RateLimits));
        errors.AddRange(GpuOptionsValidator.Validate(options.Gpu));
        if (errors.Count > 0) throw new StartupException("invalid configuration: " + string.Join("; ", errors));
        return options;
    }

    private static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var value = new T();
        try
        {
            configuration.GetSection(section).Bind(value, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            // The binder's messages name the key ("Failed to convert configuration value at 'Batching:MaxBatchSize' ...").
            throw new StartupException("invalid configuration: " + e.Message.Split('\n')[0].Trim());
        }
        return value;
    }
}
