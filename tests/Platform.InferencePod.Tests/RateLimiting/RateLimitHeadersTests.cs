using Platform.InferencePod.RateLimiting;

namespace Platform.InferencePod.Tests.RateLimiting;

public sealed class RateLimitHeadersTests
{
    private static readonly RateWindow Minute = new(5, TimeSpan.FromMinutes(1));

    [Fact]
    public void The_policy_lists_every_quota_with_its_size_and_window()
    {
        Assert.Equal("\"2-per-1s\";q=2;w=1, \"5-per-60s\";q=5;w=60",
            RateLimitHeaders.Policy([new RateWindow(2, TimeSpan.FromSeconds(1)), Minute]));
    }

    [Fact]
    public void The_limit_gives_what_is_left_and_when_none_is_when_one_returns()
    {
        Assert.Equal("\"5-per-60s\";r=3", RateLimitHeaders.Limit(new RateLimitDecision(true, Minute, 3, TimeSpan.Zero)));
        Assert.Equal("\"5-per-60s\";r=0;t=12", RateLimitHeaders.Limit(new RateLimitDecision(true, Minute, 0, TimeSpan.Zero)));
        Assert.Equal("\"5-per-60s\";r=0;t=8", RateLimitHeaders.Limit(new RateLimitDecision(false, Minute, 0, TimeSpan.FromSeconds(7.2))));
        Assert.Equal(1, RateLimitHeaders.RetryAfterSeconds(new RateLimitDecision(false, Minute, 0, TimeSpan.FromMilliseconds(10))));
    }
}
