using System.Net;
using Microsoft.AspNetCore.Http;
using Platform.InferencePod.RateLimiting;

namespace Platform.InferencePod.Tests.RateLimiting;

public sealed class ClientKeysTests
{
    private static readonly IPAddress Peer = IPAddress.Parse("10.1.2.3");

    private static string Key(RateLimitOptions options, params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers) dictionary.Append(name, value);
        return ClientKeys.Resolve(dictionary, Peer, options);
    }

    [Fact]
    public void An_api_key_identifies_the_client_and_is_not_kept_in_clear()
    {
        var options = new RateLimitOptions();
        var key = Key(options, ("X-Api-Key", "secret-1"));
        Assert.StartsWith("key:", key);
        Assert.DoesNotContain("secret-1", key);
        Assert.Equal(key, Key(options, ("x-api-key", "secret-1")));
        Assert.NotEqual(key, Key(options, ("X-Api-Key", "secret-2")));
        Assert.Equal("addr:10.1.2.3", Key(options, ("X-Api-Key", "  ")));
        Assert.Equal("addr:10.1.2.3", Key(new RateLimitOptions { ApiKeyHeader = "" }, ("X-Api-Key", "secret-1")));
        Assert.StartsWith("key:", Key(new RateLimitOptions { ApiKeyHeader = "Authorization" }, ("Authorization", "Bearer t")));
    }

    [Fact]
    public void A_forwarded_header_counts_only_when_configured_and_its_first_hop_is_the_client()
    {
        Assert.Equal("addr:10.1.2.3", Key(new RateLimitOptions(), ("X-Forwarded-For", "203.0.113.7")));
        var proxied = new RateLimitOptions { ForwardedHeader = "X-Forwarded-For" };
        Assert.Equal("addr:203.0.113.7", Key(proxied, ("X-Forwarded-For", "203.0.113.7, 10.0.0.1")));
        Assert.Equal("addr:203.0.113.7", Key(proxied, ("X-Forwarded-For", "203.0.113.7:5123")));
        Assert.Equal("addr:203.0.113.7", Key(proxied, ("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-For", "10.0.0.1")));
        Assert.Equal("addr:10.1.2.3", Key(proxied, ("X-Forwarded-For", "not-an-address")));
        Assert.Equal("addr:10.1.2.3", Key(proxied));
        var rfc7239 = new RateLimitOptions { ForwardedHeader = "Forwarded" };
        Assert.Equal("addr:2001:db8::/64", Key(rfc7239, ("Forwarded", "for=\"[2001:db8::17]:4711\";proto=http, for=10.0.0.1")));
        Assert.Equal("addr:198.51.100.4", Key(rfc7239, ("Forwarded", "proto=https;for=198.51.100.4")));
    }

    [Fact]
    public void Ipv6_clients_count_per_64_block_and_mapped_ipv4_as_ipv4()
    {
        var options = new RateLimitOptions();
        Assert.Equal("addr:2001:db8:1:2::/64", ClientKeys.Resolve(new HeaderDictionary(), IPAddress.Parse("2001:db8:1:2:aaaa::1"), options));
        Assert.Equal("addr:2001:db8:1:2::/64", ClientKeys.Resolve(new HeaderDictionary(), IPAddress.Parse("2001:db8:1:2:bbbb::9"), options));
        Assert.Equal("addr:127.0.0.1", ClientKeys.Resolve(new HeaderDictionary(), IPAddress.Parse("::ffff:127.0.0.1"), options));
    }
}
