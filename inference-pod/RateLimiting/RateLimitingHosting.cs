namespace Platform.InferencePod.RateLimiting;

public static class RateLimitingHosting
{
    public static void AddPodRateLimiting(this IServiceCollection services) => services.AddSingleton<HttpRateLimiting>();
}
