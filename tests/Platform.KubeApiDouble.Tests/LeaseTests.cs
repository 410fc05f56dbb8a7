using k8s;
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
}
