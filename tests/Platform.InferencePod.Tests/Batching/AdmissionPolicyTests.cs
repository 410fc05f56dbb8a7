using Platform.InferencePod.Batching;

namespace Platform.InferencePod.Tests.Batching;

public sealed class AdmissionPolicyTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void A_request_that_fits_its_deadline_behind_the_backlog_is_admitted() =>
        Assert.True(AdmissionPolicy.CanMeetDeadline(backlog: 40 * Ms, ownCompute: 5 * Ms, remaining: 100 * Ms));

    [Fact]
    public void A_request_that_would_clearly_expire_in_the_queue_is_refused() =>
        Assert.False(AdmissionPolicy.CanMeetDeadline(backlog: 400 * Ms, ownCompute: 5 * Ms, remaining: 100 * Ms));

    [Fact]
    public void A_request_that_would_finish_just_before_its_deadline_is_refused_for_lack_of_headroom() =>
        Assert.False(AdmissionPolicy.CanMeetDeadline(backlog: 90 * Ms, ownCompute: 5 * Ms, remaining: 100 * Ms));

    [Fact]
    public void An_empty_queue_admits_anything_that_can_compute_in_time() =>
        Assert.True(AdmissionPolicy.CanMeetDeadline(TimeSpan.Zero, 3 * Ms, 10 * Ms));
}
