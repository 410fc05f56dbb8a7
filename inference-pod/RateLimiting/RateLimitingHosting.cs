namespace Platform.InferencePod.RateLimiting;

/// <summary>Registers the per-client quotas applied to REST infer and gRPC ModelInfer.</summary>
public static class RateLimitingHosting
{
    public static void AddPodRateLimiting(this IServiceCollection services) => services.AddSingleton<RequestQuotas>();
}
