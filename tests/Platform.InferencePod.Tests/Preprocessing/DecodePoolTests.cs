using Microsoft.Extensions.Time.Testing;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Preprocessing;

namespace Platform.InferencePod.Tests.Preprocessing;

public sealed class DecodePoolTests
{
    [Fact]
    public async Task Work_runs_on_the_pool_threads_not_the_callers()
    {
        using var pool = new DecodePool(threads: 2, maxQueued: 4, TimeSpan.FromMinutes(1), TimeProvider.System);
        var name = await pool.RunAsync(() => Thread.CurrentThread.Name, CancellationToken.None);
        Assert.StartsWith("image-decode-", name);
    }

    [Fact]
    public async Task Beyond_the_busy_threads_and_the_waiting_room_work_is_refused_429()
    {
        using var pool = new DecodePool(threads: 1, maxQueued: 1, TimeSpan.FromMinutes(1), TimeProvider.System);
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var busy = pool.RunAsync(() => { started.Set(); release.Wait(); return 1; }, CancellationToken.None);
        started.Wait();
        var waiting = pool.RunAsync(() => 2, CancellationToken.None);
        var error = Assert.Throws<InferenceError>(() => { _ = pool.RunAsync(() => 3, CancellationToken.None); });
        Assert.Equal(429, error.StatusCode);
        release.Set();
        Assert.Equal(1, await busy);
        Assert.Equal(2, await waiting);
        Assert.Equal(4, await pool.RunAsync(() => 4, CancellationToken.None));
    }

    [Fact]
    public async Task Failures_surface_from_the_task()
    {
        using var pool = new DecodePool(threads: 1, maxQueued: 1, TimeSpan.FromMinutes(1), TimeProvider.System);
        var error = await Assert.ThrowsAsync<InferenceError>(() => pool.RunAsync<int>(() => throw InferenceError.BadRequest("bad image"), CancellationToken.None));
        Assert.Equal("bad image", error.Message);
    }

    [Fact]
    public async Task Work_whose_caller_gave_up_before_it_started_is_not_run()
    {
        using var pool = new DecodePool(threads: 1, maxQueued: 2, TimeSpan.FromMinutes(1), TimeProvider.System);
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var busy = pool.RunAsync(() => { started.Set(); release.Wait(); return 0; }, CancellationToken.None);
        started.Wait();
        using var cancel = new CancellationTokenSource();
        var ran = false;
        var abandoned = pool.RunAsync(() => ran = true, cancel.Token);
        await cancel.CancelAsync();
        release.Set();
        await busy;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.False(ran);
    }

    [Fact]
    public async Task Work_stuck_past_the_timeout_is_answered_400_and_its_thread_replaced()
    {
        var time = new FakeTimeProvider();
        using var pool = new DecodePool(threads: 1, maxQueued: 4, TimeSpan.FromSeconds(10), time);
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var stuck = pool.RunAsync(() => { started.Set(); release.Wait(); return 1; }, CancellationToken.None);
        started.Wait();
        var waiting = pool.RunAsync(() => 2, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(stuck.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(3));
        var error = await Assert.ThrowsAsync<InferenceError>(() => stuck);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("could not be decoded within 10 s (Preprocessing:DecodeTimeoutSeconds)", error.Message);

        // The replacement thread serves the queue while the stuck one is still blocked.
        Assert.Equal(2, await waiting);
        Assert.Equal(2, pool.ThreadsStarted);
        release.Set();
        Assert.Equal(3, await pool.RunAsync(() => 3, CancellationToken.None));
    }
}
