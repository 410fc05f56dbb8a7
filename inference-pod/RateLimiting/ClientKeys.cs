using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Platform.InferencePod.RateLimiting;

/// <summary>
/// Who a request counts against: its API key when the configured header carries one, else the
/// client's address: the first hop of the configured forwarded header when a trusted proxy
/// sets it, else the connection's peer. Keys are kept short and free of secrets.
/// </summary>
public static class ClientKeys
{
    public static string Resolve(IHeaderDictionary headers, IPAddress? peer, RateLimitOptions options)
    {
        if (options.ApiKeyHeader.Length > 0 && headers.TryGetValue(options.ApiKeyHeader, out var keyValues))
        {
            var key = keyValues.ToString().Trim();
            // Hashed: the table then holds no credentials, and a long key costs no more memory than a short one.
            if (key.Length > 0) return "key:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }
        if (options.ForwardedHeader.Length > 0 && headers.TryGetValue(options.ForwardedHeader, out var forwarded)
            && FirstHop(forwarded, options.ForwardedHeader) is { } client)
        {
            return AddressKey(client);
        }
        return peer is null ? "addr:unknown" : AddressKey(peer);
    }

    /// <summary>
    /// The client address a proxy recorded first: the first entry of an X-Forwarded-For style
    /// list, or the first "for=" of an RFC 7239 Forwarded header; null when it is not an address.
    /// </summary>
    public static IPAddress? FirstHop(StringValues values, string headerName)
    {
        var text = values.Count == 1 ? values[0] ?? "" : string.Join(',', values.ToArray());
        var first = text.Split(',', 2)[0].Trim();
        if (headerName.Equals("Forwarded", StringComparison.OrdinalIgnoreCase))
        {
            var forPair = first.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("for=", StringComparison.OrdinalIgnoreCase));
            if (forPair is null) return null;
            first = forPair[4..].Trim('"');
        }
        return ParseAddress(first);
    }

    /// <summary>An address with an optional port: "203.0.113.9", "203.0.113.9:443", "2001:db8::1", "[2001:db8::1]:443".</summary>
    private static IPAddress? ParseAddress(string text)
    {
        if (text.Length is 0 or > 64) return null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            return close > 0 && IPAddress.TryParse(text.AsSpan(1, close - 1), out var bracketed) ? bracketed : null;
        }
        if (IPAddress.TryParse(text, out var address)) return address;
        var colon = text.LastIndexOf(':');
        return colon > 0 && text.IndexOf(':') == colon && IPAddress.TryParse(text.AsSpan(0, colon), out var withPort) ? withPort : null;
    }

    /// <summary>IPv4 per address; IPv6 per /64, the block one subscriber gets, so it cannot rotate through addresses.</summary>
    private static string AddressKey(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return "addr:" + address;
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return "addr:" + new IPAddress(bytes) + "/64";
    }
}
