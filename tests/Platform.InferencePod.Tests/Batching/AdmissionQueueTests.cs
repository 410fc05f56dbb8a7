using Platform.InferencePod.Batching;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.InferencePod.Tests.Batching;

public sealed class AdmissionQueueTests
{
    private static WorkItem Item(int level, long enqueued, long deadline = long.MaxValue, long width = 4, int rows = 1)
    {
        var request = new InferenceRequest
        {
            Inputs = [new RequestTensor("x", TensorDataType.Fp32, [rows, width], new byte[rows * width * 4])],
            Rows = rows,
        };
        return new WorkItem(request, level, enqueued, deadline);
    }

    [Fact]
    public void Admission_stops_at_capacity_and_after_close()
    {
        var queue = new AdmissionQueue(capacity: 2, priorityLevels: 2, consumers: 1);
        Assert.Equal(AdmitResult.Admitted, queue.TryEnqueue(Item(1, 1)));
        Assert.Equal(AdmitResult.Admitted, queue.TryEnqueue(Item(1, 2)));
        Assert.Equal(AdmitResult.Full, queue.TryEnqueue(Item(0, 3)));
        queue.Close();
        Assert.Equal(AdmitResult.Closed, queue.TryEnqueue(Item(0, 4)));
        Assert.False(queue.IsDrained);
    }

    [Fact]
    public void Higher_levels_are_taken_first_then_arrival_order()
    {
        var queue = new AdmissionQueue(16, 2, 1);
        var low1 = Item(1, 1);
        var low2 = Item(1, 2);
        var high = Item(0, 3);
        foreach (var item in new[] { low1, low2, high }) queue.TryEnqueue(item);
        var batch = new List<WorkItem>();
        queue.Collect(now: 10, maxRows: 2, batch, []);
        Assert.Equal([high, low1], batch);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Only_requests_of_the_same_non_batch_shape_share_a_batch()
    {
        var queue = new AdmissionQueue(16, 1, 1);
        var a = Item(0, 1, width: 4);
        var b = Item(0, 2, width: 8);
        var c = Item(0, 3, width: 4, rows: 2);
        foreach (var item in new[] { a, b, c }) queue.TryEnqueue(item);
        var batch = new List<WorkItem>();
        var candidate = queue.Collect(10, 8, batch, []);
        Assert.Equal([a, c], batch);
        Assert.Equal(3, candidate!.Value.Rows);
        batch.Clear();
        queue.Collect(10, 8, batch, []);
        Assert.Equal([b], batch);
    }

    [Fact]
    public void A_request_that_does_not_fit_waits_for_the_next_batch()
    {
        var queue = new AdmissionQueue(16, 1, 1);
        var big = Item(0, 1, rows: 3);
        var bigger = Item(0, 2, rows: 4);
        var small = Item(0, 3, rows: 1);
        foreach (var item in new[] { big, bigger, small }) queue.TryEnqueue(item);
        var batch = new List<WorkItem>();
        queue.Collect(10, 5, batch, []);
        Assert.Equal([big, small], batch);
    }

    [Fact]
    public void Expired_requests_are_removed_and_reported_never_taken()
    {
        var queue = new AdmissionQueue(16, 1, 1);
        var expired = Item(0, 1, deadline: 5);
        var alive = Item(0, 2, deadline: 50);
        queue.TryEnqueue(expired);
        queue.TryEnqueue(alive);
        var batch = new List<WorkItem>();
        var dropped = new List<WorkItem>();
        queue.Collect(now: 10, maxRows: 8, batch, dropped);
        Assert.Equal([alive], batch);
        Assert.Equal([expired], dropped);
        Assert.True(expired.IsCancelled);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void A_cancelled_request_leaves_the_queue_and_frees_its_slot()
    {
        var queue = new AdmissionQueue(1, 1, 1);
        var item = Item(0, 1);
        queue.TryEnqueue(item);
        Assert.True(item.TryMarkCancelled());
        Assert.True(queue.Remove(item));
        Assert.Equal(0, queue.Count);
        Assert.Equal(AdmitResult.Admitted, queue.TryEnqueue(Item(0, 2)));
        var batch = new List<WorkItem>();
        queue.Collect(10, 8, batch, []);
        Assert.DoesNotContain(item, batch);
    }

    [Fact]
    public void A_claimed_request_can_no_longer_be_cancelled()
    {
        var queue = new AdmissionQueue(4, 1, 1);
        var item = Item(0, 1);
        queue.TryEnqueue(item);
        queue.Collect(10, 8, take: null, []);
        var batch = new List<WorkItem>();
        queue.Collect(10, 8, batch, []);
        Assert.Equal([item], batch);
        Assert.False(item.TryMarkCancelled());
        Assert.False(queue.Remove(item));
    }

    [Fact]
    public void A_closed_queue_is_drained_once_empty()
    {
        var queue = new AdmissionQueue(4, 1, 1);
        queue.TryEnqueue(Item(0, 1));
        queue.Close();
        Assert.False(queue.IsDrained);
        queue.Collect(10, 8, take: null, []);
        Assert.False(queue.IsDrained);
        queue.Collect(10, 8, new List<WorkItem>(), []);
        Assert.True(queue.IsDrained);
    }
}
