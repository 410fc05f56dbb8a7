using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace Platform.KubeApiDouble.Tests;

public sealed class LeaseTests
{
    private static V1Lease Lease(string holder) => new()
    {
        Metadata = new V1ObjectMeta { Name = "operator-leader", NamespaceProperty = "kube-system" },
        Spec = new V1LeaseSpec
        {
            HolderIdentity = holder,
            LeaseDurationSeconds = 15,
            AcquireTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            RenewTime = new DateTime(2026, 1, 1, 0, 0, 0, 123, DateTimeKind.Utc),
        },
    };

    [Fact]
    public async Task Two_candidates_racing_on_one_resource_version_yield_one_winner()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("a"), "kube-system");

        var readByA = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("operator-leader", "kube-system");
        var readByB = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("operator-leader", "kube-system");
        readByA.Spec.RenewTime = readByA.Spec.RenewTime!.Value.AddSeconds(5);
        readByB.Spec.HolderIdentity = "b";
        var renewed = await cluster.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(readByA, "operator-leader", "kube-system");
        var (code, status) = await TestCluster.FailureOf(() =>
            cluster.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(readByB, "operator-leader", "kube-system"));

        Assert.Equal("a", renewed.Spec.HolderIdentity);
        Assert.Equal(created.Spec.RenewTime!.Value.AddSeconds(5), renewed.Spec.RenewTime);
        Assert.Equal((409, "Conflict"), (code, status.Reason));
        Assert.Equal("Operation cannot be fulfilled on leases.coordination.k8s.io \"operator-leader\": the object has been modified; please apply your changes to the latest version and try again", status.Message);
    }

    [Fact]
    public async Task Lease_times_round_trip_with_microseconds()
    {
        await using var cluster = await TestCluster.StartAsync();

        await cluster.Client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("a"), "kube-system");
        var read = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("operator-leader", "kube-system");

        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, 123, DateTimeKind.Utc), read.Spec.RenewTime);
    }

    [Fact]
    public async Task The_client_library_leader_elector_takes_the_lease_and_a_second_candidate_waits()
    {
        await using var cluster = await TestCluster.StartAsync();
        LeaderElectionConfig Config(string identity) => new(new LeaseLock(cluster.Client, "kube-system", "operator-leader", identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1),
            RetryPeriod = TimeSpan.FromMilliseconds(100),
        };
        using var first = new LeaderElector(Config("first"));
        using var second = new LeaderElector(Config("second"));
        using var stop = new CancellationTokenSource();
        var leading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.OnStartedLeading += () => leading.TrySetResult();

        var firstRun = first.RunUntilLeadershipLostAsync(stop.Token);
        await leading.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var observed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        second.OnNewLeader += leader => observed.TrySetResult(leader);
        var secondRun = second.RunUntilLeadershipLostAsync(stop.Token);
        Assert.Equal("first", await observed.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        var lease = cluster.Api.Store.Get(KubeResources.Leases, "kube-system", "operator-leader")!;
        Assert.Equal("first", lease["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.True(first.IsLeader());
        Assert.False(second.IsLeader());
        await stop.CancelAsync();
        await Task.WhenAll(firstRun, secondRun).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
