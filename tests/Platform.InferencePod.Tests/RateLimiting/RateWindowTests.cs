using Platform.InferencePod.Hosting;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.RateLimiting;

public sealed class RateWindowTests
{
    [Fact]
    public void A_list_of_quotas_parses_into_windows_from_the_shortest()
    {
        Assert.True(RateWindow.TryParseList("100/h, 2/s,5/min , 50/10s, 7/2d", out var windows, out var error), error);
        Assert.Equal(
            [(2, 1L), (50, 10L), (5, 60L), (100, 3600L), (7, 172_800L)],
            windows.Select(w => (w.Permits, w.WindowSeconds)));
        Assert.Equal("5-per-60s", windows[2].Name);
        Assert.True(RateWindow.TryParseList("", out var none, out _));
        Assert.Empty(none);
    }

    [Theory]
    [InlineData("5", "entry '5' must look like <count>/<window>")]
    [InlineData("5/fortnight", "entry '5/fortnight' must look like")]
    [InlineData("x/s", "entry 'x/s' must look like")]
    [InlineData("0/s", "entry '0/s' must allow between 1 and 1000000 requests")]
    [InlineData("5/0s", "entry '5/0s' must have a window between 1 second and 7 days")]
    [InlineData("5/8d", "entry '5/8d' must have a window between 1 second and 7 days")]
    [InlineData("5/999999999999999999d", "entry '5/999999999999999999d' must have a window between 1 second and 7 days")]
    [InlineData("5/min, 10/60s", "has two quotas over 60s")]
    public void A_bad_quota_is_named_with_what_is_wrong(string text, string expected)
    {
        Assert.False(RateWindow.TryParseList(text, out _, out var error));
        Assert.StartsWith(expected, error);
    }

    [Theory]
    [InlineData("--RateLimits:Limits=5/fortnight", "RateLimits:Limits entry '5/fortnight' must look like <count>/<window>, e.g. 2/s, 5/min, 100/h or 50/10s (got '5/fortnight')")]
    [InlineData("--RateLimits:MaxClients=0", "RateLimits:MaxClients must be between 1 and 1000000 (got 0)")]
    [InlineData("--RateLimits:ApiKeyHeader=X Key", "RateLimits:ApiKeyHeader 'X Key' is not a valid header name")]
    [InlineData("--RateLimits:ForwardedHeader=X:Fwd", "RateLimits:ForwardedHeader 'X:Fwd' is not a valid header name")]
    [InlineData("--RateLimits:Burst=3", "RateLimitOptions: 'Burst'")]
    public void Bad_rate_limit_settings_stop_start_up_with_one_line(string setting, string expected)
    {
        var error = Assert.Throws<StartupException>(() => PodApp.Build([$"--Model:Path={TestModels.Mlp}", setting]));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
