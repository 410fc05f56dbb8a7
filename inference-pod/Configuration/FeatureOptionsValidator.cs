using Platform.Contracts;

namespace Platform.InferencePod.Configuration;

/// <summary>
/// Checks the sections of the image, cache and job features on their own (what needs the model
/// is checked once it is loaded); every problem names its key.
/// </summary>
public static class FeatureOptionsValidator
{
    private const int MaxImageSide = 16384;

    public static List<string> Validate(PreprocessingOptions preprocessing, PostprocessingOptions postprocessing, CacheOptions cache, JobsOptions jobs)
    {
        var errors = new List<string>();
        ValidatePreprocessing(errors, preprocessing);
        PodOptionsValidator.Range(errors, PodSettings.PostprocessingTopK, postprocessing.TopK, 1, 1_000_000);
        if (!string.IsNullOrEmpty(postprocessing.LabelsPath) && !File.Exists(postprocessing.LabelsPath))
            errors.Add($"{PodSettings.PostprocessingLabelsPath} '{postprocessing.LabelsPath}' does not exist or is not a file");
        if (preprocessing.Enabled != postprocessing.Enabled)
            errors.Add($"{PodSettings.PreprocessingEnabled} and {PodSettings.PostprocessingEnabled} go together: the classify endpoint decodes an image and ranks the output (got {preprocessing.Enabled} and {postprocessing.Enabled})");

        PodOptionsValidator.Range(errors, PodSettings.CacheTtlSeconds, cache.TtlSeconds, 0.001, 30 * 86400);
        PodOptionsValidator.Range(errors, PodSettings.CacheMaxBytes, cache.MaxBytes, 0, 1L << 40);
        PodOptionsValidator.Range(errors, PodSettings.CacheMaxEntryBytes, cache.MaxEntryBytes, 1, 512L * 1024 * 1024);
        PodOptionsValidator.Range(errors, PodSettings.CacheRedisTimeoutMs, cache.RedisTimeoutMs, 1, 60_000);
        ValidateRedis(errors, PodSettings.CacheRedis, cache.Redis);

        PodOptionsValidator.Range(errors, PodSettings.JobsMaxJobs, jobs.MaxJobs, 1, 1_000_000);
        PodOptionsValidator.Range(errors, PodSettings.JobsMaxRows, jobs.MaxRows, 1, 1_000_000);
        PodOptionsValidator.Range(errors, PodSettings.JobsResultTtlSeconds, jobs.ResultTtlSeconds, 1, 7 * 86400);
        PodOptionsValidator.Range(errors, PodSettings.JobsQueueTimeoutSeconds, jobs.QueueTimeoutSeconds, 0.001, 86400);
        PodOptionsValidator.Range(errors, PodSettings.JobsMaxResultBytes, jobs.MaxResultBytes, 1024, 1L << 30);
        PodOptionsValidator.Range(errors, PodSettings.JobsRedisTimeoutMs, jobs.RedisTimeoutMs, 1, 60_000);
        ValidateRedis(errors, PodSettings.JobsRedis, jobs.Redis);
        return errors;
    }

    private static void ValidatePreprocessing(List<string> errors, PreprocessingOptions options)
    {
        PodOptionsValidator.Range(errors, PodSettings.PreprocessingResizeShorterSide, options.ResizeShorterSide, 0, MaxImageSide);
        PodOptionsValidator.Range(errors, PodSettings.PreprocessingHeight, options.Height, 0, MaxImageSide);
        PodOptionsValidator.Range(errors, PodSettings.PreprocessingWidth, options.Width, 0, MaxImageSide);
        if (options.Layout is not (PodSettings.ImageLayouts.Nchw or PodSettings.ImageLayouts.Nhwc))
            errors.Add($"{PodSettings.PreprocessingLayout} must be '{PodSettings.ImageLayouts.Nchw}' or '{PodSettings.ImageLayouts.Nhwc}' (got '{options.Layout}')");
        if (options.ChannelOrder is not (PodSettings.ChannelOrders.Rgb or PodSettings.ChannelOrders.Bgr))
            errors.Add($"{PodSettings.PreprocessingChannelOrder} must be '{PodSettings.ChannelOrders.Rgb}' or '{PodSettings.ChannelOrders.Bgr}' (got '{options.ChannelOrder}')");
        if (!double.IsFinite(options.Scale) || options.Scale <= 0 || options.Scale > 1e6)
            errors.Add($"{PodSettings.PreprocessingScale} must be a positive number up to 1e6 (got {options.Scale})");
        if (!PreprocessingOptions.TryParseTriple(options.Mean, out _))
            errors.Add($"{PodSettings.PreprocessingMean} must be three comma-separated numbers, one per channel (got '{options.Mean}')");
        if (!PreprocessingOptions.TryParseTriple(options.Std, out var std) || std.Any(s => s <= 0))
            errors.Add($"{PodSettings.PreprocessingStd} must be three comma-separated positive numbers, one per channel (got '{options.Std}')");
        if (options.DataType is not (null or "" or "FP32" or "FP16" or "UINT8"))
            errors.Add($"{PodSettings.PreprocessingDataType} must be FP32, FP16 or UINT8 (got '{options.DataType}')");
        PodOptionsValidator.Range(errors, PodSettings.PreprocessingMaxPixels, options.MaxPixels, 1, 1L << 30);
        PodOptionsValidator.Range(errors, PodSettings.PreprocessingDecodeThreads, options.DecodeThreads, 0, 256);
        PodOptionsValidator.Range(errors, PodSettings.PreprocessingMaxQueuedDecodes, options.MaxQueuedDecodes, 0, 100_000);
        PodOptionsValidator.Range(errors, PodSettings.PreprocessingDecodeTimeoutSeconds, options.DecodeTimeoutSeconds, 0.1, 600);
    }

    private static void ValidateRedis(List<string> errors, string key, string? connection)
    {
        if (string.IsNullOrWhiteSpace(connection)) return;
        try
        {
            if (StackExchange.Redis.ConfigurationOptions.Parse(connection).EndPoints.Count == 0)
                errors.Add($"{key} '{connection}' names no server (expected 'host:port[,option=value...]')");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException)
        {
            errors.Add($"{key} '{connection}' is not a valid Redis connection string: {e.Message.Split('\n')[0]}");
        }
    }
}
