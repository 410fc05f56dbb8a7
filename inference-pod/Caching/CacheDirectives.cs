using Microsoft.Net.Http.Headers;

namespace Platform.InferencePod.Caching;

/// <summary>
/// What a request allows the cache to do, from its <c>Cache-Control</c> header: <c>no-cache</c>
/// (or <c>max-age=0</c>) asks for a freshly computed answer, <c>no-store</c> keeps the answer
/// out of the cache.
/// </summary>
public readonly record struct CacheDirectives(bool Lookup, bool Store)
{
    public static readonly CacheDirectives Default = new(true, true);
    public static readonly CacheDirectives Bypass = new(false, false);

    public static CacheDirectives From(IHeaderDictionary headers)
    {
        var values = headers.CacheControl;
        if (values.Count == 0 || !CacheControlHeaderValue.TryParse(string.Join(',', values.ToArray()), out var header) || header is null)
            return Default;
        return new CacheDirectives(Lookup: !header.NoCache && header.MaxAge != TimeSpan.Zero, Store: !header.NoStore);
    }
}
