using Microsoft.Extensions.DependencyInjection;
using Platform.KubeApiDouble;
using Platform.Operator.Controller;

namespace Platform.Operator.Tests.EndToEnd;

public sealed class LeaderElectionEndToEndTests
{
    private static readonly string[] FastElection =
    [
        "--Operator:LeaderElection:Enabled=true", "--Operator:LeaderElection:Namespace=ml",
        "--Operator:LeaderElection:LeaseDurationSeconds=3", "--Operator:LeaderElection:RenewDeadlineSeconds=2",
        "--Operator:LeaderElection:RetryPeriodSeconds=0.5",
    ];

    [Fact]
    public async Task Only_the_leader_reconciles_and_a_standby_takes_over_when_it_goes()
    {
        await using var cluster = await OperatorCluster.StartAsync([.. FastElection, "--Operator:LeaderElection:Identity=first"]);
        var first = cluster.Operators[0];
        await cluster.Api.WaitForAsync(() => cluster.Get(KubeResources.Leases, "platform-operator")?["spec"]?["holderIdentity"]?.ToString() == "first", TimeSpan.FromSeconds(20));
        var second = await cluster.StartOperatorAsync([.. FastElection, "--Operator:LeaderElection:Identity=second"]);

        await cluster.CreateAsync(OperatorCluster.NewService("before"));
        await cluster.WaitForAsync(KubeResources.Deployments, "before");
        Assert.False(OperatorCluster.Runner(second).Synced.IsCompleted, "the standby must not run the controller");
        Assert.Equal(0, second.Services.GetRequiredService<OperatorMetrics>().Leader.Value);

        await cluster.StopOperatorAsync(first);
        await cluster.Api.WaitForAsync(() => cluster.Get(KubeResources.Leases, "platform-operator")?["spec"]?["holderIdentity"]?.ToString() == "second", TimeSpan.FromSeconds(20));
        await cluster.CreateAsync(OperatorCluster.NewService("after"));
        await cluster.WaitForAsync(KubeResources.Deployments, "after");
        Assert.Equal(1, second.Services.GetRequiredService<OperatorMetrics>().Leader.Value);
    }
}
