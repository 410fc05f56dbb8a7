using System.Globalization;
using k8s.Models;
using Platform.Contracts;
using Platform.Operator.Api.Schema;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// The pod settings of the optional feature sections of the spec (rateLimits, cache, jobs,
/// preprocessing/postprocessing, gpu), as configuration keys with their variables. A field left
/// out sets nothing, so the pod's default applies. Redis connection strings are never inlined:
/// their variables name the Secret key and the kubelet resolves it.
/// </summary>
internal static class FeatureEnvironment
{
    /// <summary>(configuration key, variable) for every feature setting the spec makes.</summary>
    public static IReadOnlyList<(string Key, V1EnvVar Variable)> Build(InferenceServiceSpec spec, string modelMountPath)
    {
        var settings = new List<(string, V1EnvVar)>();
        void Add(string key, string value) => settings.Add((key, new V1EnvVar { Name = PodSettings.EnvVar(key), Value = value }));
        void AddOptional(string key, IFormattable? value)
        {
            if (value is not null) Add(key, value.ToString(null, CultureInfo.InvariantCulture));
        }
        void AddBytes(string key, ResourceQuantity? quantity)
        {
            if (quantity is not null) AddOptional(key, Quantities.WholeBytes(quantity));
        }
        void AddRedis(string key, string timeoutKey, RedisSpec? redis)
        {
            if (redis is null) return;
            settings.Add((key, new V1EnvVar
            {
                Name = PodSettings.EnvVar(key),
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = redis.SecretRef.Name, Key = redis.SecretRef.Key } },
            }));
            AddOptional(timeoutKey, redis.TimeoutMs);
        }

        if (spec.RateLimits is { } rateLimits)
        {
            Add(PodSettings.RateLimitsLimits, rateLimits.Limits);
            if (rateLimits.ApiKeyHeader is not null) Add(PodSettings.RateLimitsApiKeyHeader, rateLimits.ApiKeyHeader);
            if (rateLimits.ForwardedHeader is not null) Add(PodSettings.RateLimitsForwardedHeader, rateLimits.ForwardedHeader);
            AddOptional(PodSettings.RateLimitsMaxClients, rateLimits.MaxClients);
        }
        if (spec.Cache is { } cache)
        {
            Add(PodSettings.CacheEnabled, Boolean(cache.Enabled));
            AddOptional(PodSettings.CacheTtlSeconds, cache.TtlSeconds);
            AddBytes(PodSettings.CacheMaxBytes, cache.MaxBytes);
            AddBytes(PodSettings.CacheMaxEntryBytes, cache.MaxEntryBytes);
            AddRedis(PodSettings.CacheRedis, PodSettings.CacheRedisTimeoutMs, cache.Redis);
        }
        if (spec.Jobs is { } jobs)
        {
            Add(PodSettings.JobsEnabled, Boolean(jobs.Enabled));
            AddOptional(PodSettings.JobsMaxJobs, jobs.MaxJobs);
            AddOptional(PodSettings.JobsMaxRows, jobs.MaxRows);
            AddOptional(PodSettings.JobsResultTtlSeconds, jobs.ResultTtlSeconds);
            AddOptional(PodSettings.JobsQueueTimeoutSeconds, jobs.QueueTimeoutSeconds);
            AddBytes(PodSettings.JobsMaxResultBytes, jobs.MaxResultBytes);
            AddRedis(PodSettings.JobsRedis, PodSettings.JobsRedisTimeoutMs, jobs.Redis);
        }
        if (spec.Preprocessing is { } pre)
        {
            Add(PodSettings.PreprocessingEnabled, Boolean(true));
            if (pre.Input is not null) Add(PodSettings.PreprocessingInput, pre.Input);
            AddOptional(PodSettings.PreprocessingResizeShorterSide, pre.ResizeShorterSide);
            AddOptional(PodSettings.PreprocessingHeight, pre.Height);
            AddOptional(PodSettings.PreprocessingWidth, pre.Width);
            if (pre.Layout is { } layout) Add(PodSettings.PreprocessingLayout, Value(layout));
            if (pre.ChannelOrder is { } order) Add(PodSettings.PreprocessingChannelOrder, Value(order));
            if (pre.Scale is { } scale) Add(PodSettings.PreprocessingScale, Number(scale));
            // The pod reads per-channel values as one comma-separated value ("0.485,0.456,0.406").
            if (pre.Mean is { } mean) Add(PodSettings.PreprocessingMean, string.Join(",", mean.Select(Number)));
            if (pre.Std is { } std) Add(PodSettings.PreprocessingStd, string.Join(",", std.Select(Number)));
            if (pre.DataType is { } dataType) Add(PodSettings.PreprocessingDataType, Value(dataType));
            AddOptional(PodSettings.PreprocessingMaxPixels, pre.MaxPixels);
        }
        if (spec.Postprocessing is { } post)
        {
            Add(PodSettings.PostprocessingEnabled, Boolean(true));
            if (post.Output is not null) Add(PodSettings.PostprocessingOutput, post.Output);
            if (post.Softmax is { } softmax) Add(PodSettings.PostprocessingSoftmax, Boolean(softmax));
            AddOptional(PodSettings.PostprocessingTopK, post.TopK);
            if (!string.IsNullOrEmpty(post.LabelsPath)) Add(PodSettings.PostprocessingLabelsPath, $"{modelMountPath}/{post.LabelsPath}");
        }
        if (spec.Gpu?.MinFreeMemory is { } minFree)
        {
            AddBytes(PodSettings.GpuMinFreeMemoryBytes, minFree);
        }
        return settings;
    }

    /// <summary>The configuration keys <see cref="Build"/> sets for this spec.</summary>
    public static IEnumerable<string> Keys(InferenceServiceSpec spec) => Build(spec, modelMountPath: "").Select(s => s.Key);

    private static string Boolean(bool value) => value ? "true" : "false";

    /// <summary>Shortest text that reads back as the same double.</summary>
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The value an enum member has in JSON, which is also the pod's value (NCHW, RGB, FP32).</summary>
    private static string Value<TEnum>(TEnum value) where TEnum : struct, Enum =>
        typeof(TEnum).GetField(value.ToString()) is { } member ? OpenApiSchemaGenerator.JsonName(member) : value.ToString();
}
