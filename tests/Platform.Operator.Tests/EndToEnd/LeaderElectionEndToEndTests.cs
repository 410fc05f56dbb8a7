using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.KubeApiDouble;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Controller;
using Platform.Operator.Runtime;

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
        Assert.Equal(0, second.Services.GetRequiredService<ControllerMetrics>().Leader.Value);

        await cluster.StopOperatorAsync(first);
        await cluster.Api.WaitForAsync(() => cluster.Get(KubeResources.Leases, "platform-operator")?["spec"]?["holderIdentity"]?.ToString() == "second", TimeSpan.FromSeconds(20));
        await cluster.CreateAsync(OperatorCluster.NewService("after"));
        await cluster.WaitForAsync(KubeResources.Deployments, "after");
        Assert.Equal(1, second.Services.GetRequiredService<ControllerMetrics>().Leader.Value);
    }

    [Fact]
    public async Task A_graceful_stop_releases_the_lease_so_the_standby_takes_over_without_waiting_it_out()
    {
        string[] slowLease =
        [
            "--Operator:LeaderElection:Enabled=true", "--Operator:LeaderElection:Namespace=ml",
            "--Operator:LeaderElection:LeaseDurationSeconds=30", "--Operator:LeaderElection:RenewDeadlineSeconds=20",
            "--Operator:LeaderElection:RetryPeriodSeconds=0.5",
        ];
        await using var cluster = await OperatorCluster.StartAsync([.. slowLease, "--Operator:LeaderElection:Identity=first"]);
        await cluster.Api.WaitForAsync(() => Holder(cluster) == "first", TimeSpan.FromSeconds(20));
        var second = await cluster.StartOperatorAsync([.. slowLease, "--Operator:LeaderElection:Identity=second"]);

        var stopped = DateTimeOffset.UtcNow;
        await cluster.StopOperatorAsync(cluster.Operators[0]);
        await cluster.Api.WaitForAsync(() => Holder(cluster) == "second", TimeSpan.FromSeconds(20));

        Assert.True(DateTimeOffset.UtcNow - stopped < TimeSpan.FromSeconds(10), "the standby waited for a 30 s lease to expire");
        await OperatorCluster.Runner(second).Synced.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_new_leader_that_finds_everything_as_it_would_write_it_writes_nothing()
    {
        await using var cluster = await OperatorCluster.StartAsync([.. FastElection, "--Operator:LeaderElection:Identity=first"]);
        await cluster.CreateAsync(OperatorCluster.NewService("kept", s => s.Autoscaling.Mode = AutoscalingMode.Off));
        await cluster.CreateAsync(OperatorCluster.NewService("broken", s => { s.Autoscaling.Mode = AutoscalingMode.Off; s.Resources.Cpu = "0"; }));
        await cluster.WaitForAsync(KubeResources.Deployments, "kept");
        cluster.Api.Store.Mutate(KubeResources.Deployments, "ml", "kept", d =>
            d["status"] = new JsonObject { ["observedGeneration"] = OperatorCluster.Long(d["metadata"]!["generation"]), ["replicas"] = 1, ["readyReplicas"] = 1, ["availableReplicas"] = 1, ["updatedReplicas"] = 1 });
        await cluster.WaitForAsync(OperatorCluster.InferenceServices, "kept", s => OperatorCluster.Condition(s, ConditionTypes.Ready) == "True");
        await cluster.WaitForAsync(OperatorCluster.InferenceServices, "broken", s => OperatorCluster.Condition(s, ConditionTypes.Degraded) == "True");
        await Task.Delay(TimeSpan.FromSeconds(1));

        var mark = cluster.Api.Requests.Mark();
        await cluster.StopOperatorAsync(cluster.Operators[0]);
        var second = await cluster.StartOperatorAsync([.. FastElection, "--Operator:LeaderElection:Identity=second"]);
        await OperatorCluster.Runner(second).Synced.WaitAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var writes = cluster.Api.Requests.Since(mark).Where(r => r.IsWrite && r.Resource != "leases").Select(r => $"{r.Verb} {r.Resource}/{r.Subresource}/{r.Name}").ToList();
        Assert.Empty(writes);
    }

    [Fact]
    public async Task A_new_leader_finding_the_autoscaling_status_it_would_write_writes_and_announces_nothing()
    {
        await using var cluster = await OperatorCluster.StartAsync([.. FastElection, "--Operator:LeaderElection:Identity=first"]);
        await cluster.CreateAsync(OperatorCluster.NewService("scaled", s => s.Autoscaling.MetricsIntervalSeconds = 1));
        var deployment = await cluster.WaitForAsync(KubeResources.Deployments, "scaled");
        // A ready pod of the Deployment's template, without an IP: every scrape fails, so the autoscaler has no metrics.
        cluster.Api.Store.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "scaled-0", ["namespace"] = "ml", ["labels"] = deployment["spec"]!["template"]!["metadata"]!["labels"]!.DeepClone() },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "pod", ["image"] = "pod:1" }) },
        });
        cluster.Api.Store.Mutate(KubeResources.Pods, "ml", "scaled-0",
            p => p["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) }, "kubelet");
        await cluster.WaitForAsync(OperatorCluster.InferenceServices, "scaled",
            s => OperatorCluster.Condition(s, ConditionTypes.ScalingActive, "reason") == "NoMetrics"
                && s["status"]?["autoscaling"]?["lastDecision"]?["message"]?.ToString().Contains("scaled-0", StringComparison.Ordinal) == true);
        Assert.Single(cluster.Events("scaled"), e => (string?)e["reason"] == "MetricsUnavailable");

        var mark = cluster.Api.Requests.Mark();
        await cluster.StopOperatorAsync(cluster.Operators[0]);
        var second = await cluster.StartOperatorAsync([.. FastElection, "--Operator:LeaderElection:Identity=second"]);
        await OperatorCluster.Runner(second).Synced.WaitAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(3));

        var writes = cluster.Api.Requests.Since(mark).Where(r => r.IsWrite && r.Resource != "leases").Select(r => $"{r.Verb} {r.Resource}/{r.Subresource}/{r.Name}").ToList();
        Assert.Empty(writes);
    }

    private static string? Holder(OperatorCluster cluster) => cluster.Get(KubeResources.Leases, "platform-operator")?["spec"]?["holderIdentity"]?.ToString();
}
