namespace Platform.InferencePod.Tests.Caching;

/// <summary>The samples the cache tests read from /metrics.</summary>
public static class CacheMetricNames
{
    public static string Result(string model, string result) => $"platform_inference_cache_requests_total{{model=\"{model}\",result=\"{result}\"}}";
    public static string Runs(string model) => $"platform_inference_batch_size_count{{model=\"{model}\"}}";
}
