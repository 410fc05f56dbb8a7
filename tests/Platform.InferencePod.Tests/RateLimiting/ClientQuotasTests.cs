using Microsoft.Extensions.Time.Testing;
using Platform.InferencePod.RateLimiting;

namespace Platform.InferencePod.Tests.RateLimiting;

public sealed class ClientQuotasTests
{
    private static RateWindow[] Windows(string text)
    {
        Assert.True(RateWindow.TryParseList(text, out var windows, out var error), error);
        return windows;
    }

    [Fact]
    public void Each_client_has_its_own_quota()
    {
        using var quotas = new ClientQuotas(Windows("2/min"), 100, TimeProvider.System);
        Assert.True(quotas.TryAcquire("a").Allowed);
        Assert.True(quotas.TryAcquire("a").Allowed);
        var refused = quotas.TryAcquire("a");
        Assert.False(refused.Allowed);
        Assert.Equal("2-per-60s", refused.Window.Name);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter);
        Assert.True(quotas.TryAcquire("b").Allowed);
    }

    [Fact]
    public void Allowed_requests_report_the_quota_with_the_fewest_left()
    {
        using var quotas = new ClientQuotas(Windows("5/s, 3/h"), 100, TimeProvider.System);
        var first = quotas.TryAcquire("a");
        Assert.Equal(("3-per-3600s", 2), (first.Window.Name, first.Remaining));
    }

    [Fact]
    public async Task Every_window_applies_and_a_refused_request_uses_up_nothing()
    {
        using var quotas = new ClientQuotas(Windows("2/s, 3/h"), 100, TimeProvider.System);
        Assert.True(quotas.TryAcquire("a").Allowed);
        Assert.True(quotas.TryAcquire("a").Allowed);
        RateLimitDecision refused = default;
        for (var i = 0; i < 20; i++)
        {
            refused = quotas.TryAcquire("a");
            Assert.False(refused.Allowed);
            Assert.Equal("2-per-1s", refused.Window.Name);
        }
        Assert.Equal(TimeSpan.FromMilliseconds(500), refused.RetryAfter);

        // The client waits the Retry-After it was given; the short window has a token again, and
        // the hour window still has the one the twenty refusals did not take.
        await Task.Delay(refused.RetryAfter + TimeSpan.FromMilliseconds(50));
        Assert.True(quotas.TryAcquire("a").Allowed);
        await Task.Delay(refused.RetryAfter + TimeSpan.FromMilliseconds(50));
        var hourly = quotas.TryAcquire("a");
        Assert.False(hourly.Allowed);
        Assert.Equal("3-per-3600s", hourly.Window.Name);
        Assert.Equal(TimeSpan.FromMinutes(20), hourly.RetryAfter);
    }

    [Fact]
    public void The_number_of_clients_kept_is_bounded_and_the_least_recent_is_forgotten()
    {
        using var quotas = new ClientQuotas(Windows("1/h"), 3, TimeProvider.System);
        for (var i = 0; i < 10; i++) Assert.True(quotas.TryAcquire($"client-{i}").Allowed);
        Assert.Equal(3, quotas.Count);
        Assert.False(quotas.TryAcquire("client-9").Allowed);
        Assert.False(quotas.TryAcquire("client-7").Allowed);
        // Forgotten: its state went with it, so it starts afresh.
        Assert.True(quotas.TryAcquire("client-0").Allowed);
        Assert.Equal(3, quotas.Count);
    }

    [Fact]
    public void A_client_idle_for_the_longest_window_is_dropped()
    {
        var time = new FakeTimeProvider();
        using var quotas = new ClientQuotas(Windows("10/s, 2/min"), 100, time);
        quotas.TryAcquire("a");
        time.Advance(TimeSpan.FromSeconds(30));
        quotas.TryAcquire("b");
        Assert.Equal(2, quotas.Count);
        time.Advance(TimeSpan.FromSeconds(31));
        quotas.TryAcquire("b");
        Assert.Equal(1, quotas.Count);
    }
}
