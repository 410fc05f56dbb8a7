using Microsoft.Extensions.Time.Testing;
using Platform.Operator.Runtime;

namespace Platform.Operator.Tests.Controller;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_key_added_many_times_is_processed_once()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        Assert.Equal(2, queue.Count);
        var first = await queue.GetAsync(CancellationToken.None);
        var second = await queue.GetAsync(CancellationToken.None);
        Assert.Equal(["a", "b"], new[] { first.Key, second.Key });
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_key_re_added_while_processing_waits_until_done()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.Add("a");
        var (_, key) = await queue.GetAsync(CancellationToken.None);
        queue.Add("a");
        Assert.Equal(0, queue.Count);
        var next = queue.GetAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
        queue.Done(key);
        Assert.Equal("a", (await next.WaitAsync(Short)).Key);
    }

    [Fact]
    public async Task Failures_back_off_exponentially_per_key_and_forget_resets()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(10), queue.AddRateLimited("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), queue.AddRateLimited("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(40), queue.AddRateLimited("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), queue.AddRateLimited("b"));
        for (var i = 0; i < 20; i++) queue.AddRateLimited("a");
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited("a"));
        queue.Forget("a");
        Assert.Equal(TimeSpan.FromMilliseconds(10), queue.AddRateLimited("a"));
        Assert.Equal(0, queue.Count);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(2, queue.Count);
        Assert.Equal("a", (await queue.GetAsync(CancellationToken.None)).Key);
    }

    [Fact]
    public void A_delayed_add_keeps_the_earliest_due_time()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, queue.Count);
        time.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void A_retry_after_holds_the_key_back_even_against_earlier_and_plain_adds()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time, TimeSpan.FromMilliseconds(5));
        queue.AddAfter("a", TimeSpan.FromMilliseconds(100));

        Assert.Equal(TimeSpan.FromSeconds(2), queue.AddRateLimited("a", atLeast: TimeSpan.FromSeconds(2)));
        queue.Add("a");
        queue.AddAfter("a", TimeSpan.FromMilliseconds(10));
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal(0, queue.Count);

        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, queue.Count);
        queue.Add("b");
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public async Task A_key_added_while_processing_and_then_held_back_waits_for_the_hold()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);
        queue.Add("a");
        var (_, key) = await queue.GetAsync(CancellationToken.None);
        queue.Add("a");
        queue.AddRateLimited("a", atLeast: TimeSpan.FromSeconds(1));
        queue.Done(key);
        Assert.Equal(0, queue.Count);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task Shut_down_releases_waiting_workers()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        var waiting = queue.GetAsync(CancellationToken.None);
        queue.ShutDown();
        Assert.False((await waiting.WaitAsync(Short)).Ok);
        queue.Add("late");
        Assert.Equal(0, queue.Count);
        queue.ShutDown();
    }
}
