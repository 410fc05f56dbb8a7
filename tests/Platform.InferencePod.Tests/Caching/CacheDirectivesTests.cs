using Microsoft.AspNetCore.Http;
using Platform.InferencePod.Caching;

namespace Platform.InferencePod.Tests.Caching;

public sealed class CacheDirectivesTests
{
    [Theory]
    [InlineData(null, true, true)]
    [InlineData("no-cache", false, true)]
    [InlineData("No-Cache", false, true)]
    [InlineData("max-age=0", false, true)]
    [InlineData("max-age=60", true, true)]
    [InlineData("no-store", true, false)]
    [InlineData("no-cache, no-store", false, false)]
    [InlineData("garbage;;==", true, true)]
    public void Cache_control_decides_whether_the_cache_is_read_and_filled(string? header, bool lookup, bool store)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        if (header is not null) headers.CacheControl = header;
        Assert.Equal(new CacheDirectives(lookup, store), CacheDirectives.From(headers));
    }
}
