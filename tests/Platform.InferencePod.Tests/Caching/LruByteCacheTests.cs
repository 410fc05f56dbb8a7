using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Platform.InferencePod.Caching;

namespace Platform.InferencePod.Tests.Caching;

public sealed class LruByteCacheTests
{
    private const int Overhead = LruByteCache.EntryOverheadBytes;

    private static CacheKey Key(int i) => new((ulong)i, 0, 0, 0);

    [Fact]
    public void The_least_recently_used_entries_go_first_when_the_budget_is_reached()
    {
        var cache = new LruByteCache(3 * (100 + Overhead), TimeSpan.FromMinutes(1), new FakeTimeProvider());
        cache.Set(Key(1), new byte[100]);
        cache.Set(Key(2), new byte[100]);
        cache.Set(Key(3), new byte[100]);
        Assert.True(cache.TryGet(Key(1), out _)); // 1 is now the most recent; 2 the least
        cache.Set(Key(4), new byte[100]);
        Assert.False(cache.TryGet(Key(2), out _));
        Assert.True(cache.TryGet(Key(1), out _));
        Assert.True(cache.TryGet(Key(3), out _));
        Assert.True(cache.TryGet(Key(4), out _));
        Assert.Equal(3 * (100 + Overhead), cache.Bytes);
    }

    [Fact]
    public void Entries_expire_after_the_time_to_live()
    {
        var time = new FakeTimeProvider();
        var cache = new LruByteCache(10_000, TimeSpan.FromSeconds(30), time);
        cache.Set(Key(1), [1, 2, 3]);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(cache.TryGet(Key(1), out var value));
        Assert.Equal([1, 2, 3], value);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet(Key(1), out _));
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void An_entry_larger_than_the_budget_is_not_stored_and_replacing_an_entry_recharges_it()
    {
        var cache = new LruByteCache(1000, TimeSpan.FromMinutes(1), new FakeTimeProvider());
        cache.Set(Key(1), new byte[2000]);
        Assert.Equal(0, cache.Count);
        cache.Set(Key(2), new byte[10]);
        cache.Set(Key(2), new byte[20]);
        Assert.Equal(1, cache.Count);
        Assert.Equal(20 + Overhead, cache.Bytes);
        Assert.True(cache.TryGet(Key(2), out var value));
        Assert.Equal(20, value.Length);
    }

    [Fact]
    public void Under_any_sequence_of_operations_the_budget_holds_and_the_newest_entry_is_found()
    {
        var operations = Gen.Select(Gen.Int[0, 20], Gen.Int[0, 600], Gen.Int[0, 3]).Array[1, 200];
        Gen.Select(operations, Gen.Int[0, 3000]).Sample((ops, budget) =>
        {
            var time = new FakeTimeProvider();
            var cache = new LruByteCache(budget, TimeSpan.FromSeconds(10), time);
            foreach (var (key, size, kind) in ops)
            {
                switch (kind)
                {
                    case 0:
                        cache.Set(Key(key), new byte[size]);
                        if (size + Overhead <= budget)
                        {
                            Assert.True(cache.TryGet(Key(key), out var value));
                            Assert.Equal(size, value.Length);
                        }
                        break;
                    case 1:
                        cache.TryGet(Key(key), out _);
                        break;
                    default:
                        time.Advance(TimeSpan.FromSeconds(size % 7));
                        break;
                }
                Assert.InRange(cache.Bytes, 0, budget);
            }
        });
    }
}
