using Microsoft.Extensions.Time.Testing;
using Platform.InferencePod.Jobs;

namespace Platform.InferencePod.Tests.Jobs;

public sealed class JobTableTests
{
    private static Job NewJob() => new(JobId.New(), DateTimeOffset.UnixEpoch);

    private static void Finish(JobTable table, Job job, TimeProvider time)
    {
        Assert.True(job.TryFinish(new Job.Outcome(JobStatus.Succeeded, DateTimeOffset.UnixEpoch, [], 0, null), time.GetTimestamp()));
        table.MarkFinished(job);
    }

    [Fact]
    public void A_full_table_of_unfinished_jobs_refuses_more()
    {
        var time = new FakeTimeProvider();
        var table = new JobTable(2, TimeSpan.FromMinutes(1), time);
        Assert.True(table.TryAdd(NewJob()));
        Assert.True(table.TryAdd(NewJob()));
        Assert.False(table.TryAdd(NewJob()));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void When_full_the_oldest_finished_job_makes_room()
    {
        var time = new FakeTimeProvider();
        var table = new JobTable(2, TimeSpan.FromMinutes(1), time);
        var first = NewJob();
        var second = NewJob();
        table.TryAdd(first);
        table.TryAdd(second);
        Finish(table, second, time);
        time.Advance(TimeSpan.FromSeconds(1));
        Finish(table, first, time);
        var third = NewJob();
        Assert.True(table.TryAdd(third));
        Assert.False(table.TryGet(second.Id, out _));
        Assert.True(table.TryGet(first.Id, out _));
        Assert.True(table.TryGet(third.Id, out _));
    }

    [Fact]
    public void Finished_jobs_are_forgotten_after_the_time_to_live_and_unfinished_ones_never()
    {
        var time = new FakeTimeProvider();
        var table = new JobTable(10, TimeSpan.FromSeconds(30), time);
        var done = NewJob();
        var waiting = NewJob();
        table.TryAdd(done);
        table.TryAdd(waiting);
        Finish(table, done, time);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(table.TryGet(done.Id, out var found));
        Assert.Same(done, found);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(table.TryGet(done.Id, out _));
        time.Advance(TimeSpan.FromDays(1));
        Assert.True(table.TryGet(waiting.Id, out _));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_job_finishes_once()
    {
        var job = NewJob();
        Assert.False(job.Done.IsCompleted);
        Assert.True(job.TryFinish(new Job.Outcome(JobStatus.Cancelled, DateTimeOffset.UnixEpoch, null, 409, "cancelled"), 5));
        Assert.False(job.TryFinish(new Job.Outcome(JobStatus.Succeeded, DateTimeOffset.UnixEpoch, [], 0, null), 9));
        Assert.Equal(JobStatus.Cancelled, job.Finished!.Status);
        Assert.Equal(5, job.FinishedTimestamp);
        Assert.True(job.Done.IsCompleted);
    }

    [Fact]
    public void Job_ids_are_32_lowercase_hex_digits_and_differ()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => JobId.New()).ToArray();
        Assert.All(ids, id => Assert.True(JobId.IsWellFormed(id)));
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.False(JobId.IsWellFormed(ids[0].ToUpperInvariant()));
        Assert.False(JobId.IsWellFormed(ids[0][..31]));
        Assert.False(JobId.IsWellFormed("../../etc/passwd"));
    }
}
