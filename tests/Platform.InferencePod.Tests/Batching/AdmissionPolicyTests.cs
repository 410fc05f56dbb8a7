using Platform.InferencePod.Batching;

namespace Platform.InferencePod.Tests.Batching;

public sealed class AdmissionPolicyTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Theory]
    // completion (wait + own), own compute, remaining → verdict
    [InlineData(45, 5, 100, AdmissionVerdict.Admit)]            // waits 40 of the 95 ms slack's half (47.5)
    [InlineData(5, 5, 100, AdmissionVerdict.Admit)]             // an idle pod admits anything that computes in time
    [InlineData(3, 3, 3, AdmissionVerdict.Admit)]               // own compute exactly fills the deadline
    [InlineData(55, 5, 100, AdmissionVerdict.BacklogTooLong)]   // a 50 ms wait is past half the slack
    [InlineData(405, 5, 100, AdmissionVerdict.BacklogTooLong)]  // would clearly expire in the queue
    [InlineData(120, 120, 100, AdmissionVerdict.ComputeExceedsDeadline)] // no queue makes 120 ms fit 100
    [InlineData(500, 120, 100, AdmissionVerdict.ComputeExceedsDeadline)] // retrying later would not help either
    [InlineData(10, 1, 0, AdmissionVerdict.ComputeExceedsDeadline)]      // the deadline has passed
    public void Decides_from_the_wait_own_compute_and_time_left(double completion, double own, double remaining, AdmissionVerdict expected) =>
        Assert.Equal(expected, AdmissionPolicy.Decide(completion * Ms, own * Ms, remaining * Ms));

    [Fact]
    public void The_wait_admitted_grows_with_the_deadline()
    {
        var own = 20 * Ms;
        var longest = new[] { 100, 1000, 10_000 }.Select(remaining =>
            Enumerable.Range(0, 20_000).Last(wait => AdmissionPolicy.Decide(own + wait * Ms, own, remaining * Ms) == AdmissionVerdict.Admit)).ToArray();
        Assert.Equal([40, 490, 4990], longest);
    }
}
