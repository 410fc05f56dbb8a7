using k8s;
using k8s.Models;
using Platform.EnvTest;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.EnvTests.Support;
using Xunit.Abstractions;

namespace Platform.Operator.EnvTests.Operator;

/// <summary>
/// The operator on a real control plane, configured and authorised exactly as the chart
/// configures it (a ServiceAccount identity holding only the chart's rendered RBAC), with the
/// real Deployment controller and garbage collector, and a test standing in for the kubelet.
/// </summary>
[Collection(EnvTestCollection.Name)]
public sealed class OperatorTests(ControlPlaneFixture fixture, ITestOutputHelper output)
{
    private IKubernetes Admin => fixture.Admin;

    [OperatorEnvTestFact]
    public async Task Under_the_charts_rbac_it_creates_reports_rolls_follows_scale_rests_and_is_collected()
    {
        await Crds.EnsureInstalledAsync(fixture.Plane);
        var release = await fixture.CreateNamespaceAsync("release");
        var ns = await fixture.CreateNamespaceAsync("serving");
        var chart = await ChartOperator.InstallRbacAsync(fixture.Plane, release, ns);
        var started = DateTimeOffset.UtcNow;
        await using var op = await ChartOperator.StartAsync(fixture.Plane, chart, release, "platform-0");
        await using var kubelet = new KubeletStandIn(Admin, ns);

        // Created: Deployment, Service and PDB, each controlled by the InferenceService.
        var created = await Services.CreateAsync(Admin, ns, Services.New("mlp", """{"replicas":1,"autoscaling":{"mode":"Off"}}"""));
        await Eventually.HoldsAsync("Deployment, Service and PodDisruptionBudget", async () =>
            (await Admin.AppsV1.ListNamespacedDeploymentAsync(ns)).Items.Count == 1
            && (await Admin.CoreV1.ListNamespacedServiceAsync(ns)).Items.Count == 1
            && (await Admin.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(ns)).Items.Count == 1,
            seen: () => Services.EventsAsync(Admin, ns, "mlp"));
        var deployment = await Admin.AppsV1.ReadNamespacedDeploymentAsync("mlp", ns);
        IEnumerable<V1OwnerReference> owners = [
            .. deployment.Metadata.OwnerReferences,
            .. (await Admin.CoreV1.ReadNamespacedServiceAsync("mlp", ns)).Metadata.OwnerReferences,
            .. (await Admin.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("mlp", ns)).Metadata.OwnerReferences];
        Assert.All(owners, o => Assert.True(o.Uid == created.Metadata.Uid && o.Controller == true && o.Kind == InferenceService.KindName, $"owner {o.Kind}/{o.Name}"));

        // Pods made Ready by the kubelet stand-in turn the service Ready; status and events report it.
        var ready = await WaitForAsync(ns, "mlp", "Ready with 1 replica", s =>
            Services.Condition(s, ConditionTypes.Ready) == "True" && s.Status?.ObservedGeneration == s.Metadata.Generation && s.Status?.ReadyReplicas == 1);
        Assert.NotEmpty((await Admin.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=mlp,involvedObject.kind=InferenceService")).Items);

        // A spec change rolls the Deployment.
        await Services.PatchSpecAsync(Admin, ns, "mlp", """{"serving":{"maxBatchSize":16}}""");
        await Eventually.HoldsAsync("Deployment rolled to maxBatchSize 16", async () =>
            (await Admin.AppsV1.ReadNamespacedDeploymentAsync("mlp", ns)).Spec.Template.Spec.Containers[0].Env.Any(e => e.Name == "Batching__MaxBatchSize" && e.Value == "16"));
        await Eventually.HoldsAsync("a second ReplicaSet", async () => (await Admin.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.Count >= 2);

        // kubectl scale, in Off mode, sets the replicas through the scale subresource; the Deployment follows.
        (await Kubectl.RunAsync(fixture.Plane.AdminKubeconfig, "scale", "infsvc", "mlp", "-n", ns, "--replicas=2")).EnsureSuccess("scale infsvc");
        await Eventually.HoldsAsync("Deployment at 2 replicas", async () => (await Admin.AppsV1.ReadNamespacedDeploymentAsync("mlp", ns)).Spec.Replicas == 2);
        await WaitForAsync(ns, "mlp", "Ready with 2 of 2 replicas after the roll", s =>
            Services.Condition(s, ConditionTypes.Ready) == "True" && s.Status?.ReadyReplicas == 2 && s.Status?.ObservedGeneration == s.Metadata.Generation
            && Services.Condition(s, ConditionTypes.Progressing) != "True", TimeSpan.FromSeconds(60));

        // Steady state: nothing changes, so the operator writes nothing (its reads are watches).
        await Task.Delay(TimeSpan.FromSeconds(2));
        var quiet = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(8));
        var writes = fixture.Plane.Audit.Of(op.User, quiet).Where(e => e.IsWrite && e.Resource != "leases").ToList();
        Assert.True(writes.Count == 0, "writes in steady state:\n" + string.Join('\n', writes));

        // Deleted: the real garbage collector removes what the service owned.
        await Services.DeleteAsync(Admin, ns, "mlp");
        await Eventually.HoldsAsync("owned objects collected", async () =>
            (await Admin.AppsV1.ListNamespacedDeploymentAsync(ns)).Items.Count == 0
            && (await Admin.CoreV1.ListNamespacedServiceAsync(ns)).Items.Count == 0
            && (await Admin.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(ns)).Items.Count == 0);

        // The chart's RBAC was enough for all of it.
        var requests = fixture.Plane.Audit.Of(op.User, started);
        var forbidden = requests.Where(e => e.IsForbidden).ToList();
        output.WriteLine($"operator requests: {requests.Count}, writes: {requests.Count(e => e.IsWrite)}, forbidden: {forbidden.Count}");
        Assert.NotEmpty(requests);
        Assert.True(forbidden.Count == 0, "forbidden under the chart's RBAC:\n" + string.Join('\n', forbidden.Distinct()));
        _ = ready;
    }

    [OperatorEnvTestFact]
    public async Task Two_replicas_elect_one_leader_and_the_other_takes_over()
    {
        await Crds.EnsureInstalledAsync(fixture.Plane);
        var release = await fixture.CreateNamespaceAsync("release-ha");
        var ns = await fixture.CreateNamespaceAsync("serving-ha");
        // Two replicas turn leader election on; short timings keep the take-over quick.
        var chart = await ChartOperator.InstallRbacAsync(fixture.Plane, release, ns,
            "--set", "replicas=2",
            "--set", "operator.leaderElection.leaseDurationSeconds=4", "--set", "operator.leaderElection.renewDeadlineSeconds=3", "--set", "operator.leaderElection.retryPeriodSeconds=1");
        var started = DateTimeOffset.UtcNow;
        await using var first = await ChartOperator.StartAsync(fixture.Plane, chart, release, "platform-a");
        await using var second = await ChartOperator.StartAsync(fixture.Plane, chart, release, "platform-b");
        ChartOperator[] replicas = [first, second];

        await Eventually.HoldsAsync("one leader", () => Task.FromResult(replicas.Count(r => r.IsLeader) == 1));
        var leader = replicas.Single(r => r.IsLeader);
        var standby = replicas.Single(r => !r.IsLeader);
        var lease = await Admin.CoordinationV1.ReadNamespacedLeaseAsync("platform-operator", release);
        Assert.Equal(leader.Identity, lease.Spec.HolderIdentity);

        await Services.CreateAsync(Admin, ns, Services.New("ha", """{"replicas":1,"autoscaling":{"mode":"Off"}}"""));
        await Eventually.HoldsAsync("Deployment from the leader", async () => (await Admin.AppsV1.ListNamespacedDeploymentAsync(ns)).Items.Count == 1);
        // Both replicas share the ServiceAccount, so the audit log cannot tell them apart: the standby's own reconcile count says it stood by.
        Assert.Equal(0, standby.Reconciles);

        await leader.StopAsync();
        await Eventually.HoldsAsync("the standby takes over", () => Task.FromResult(standby.IsLeader), TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync("lease held by the new leader", async () =>
            (await Admin.CoordinationV1.ReadNamespacedLeaseAsync("platform-operator", release)).Spec.HolderIdentity == standby.Identity);

        await Services.PatchSpecAsync(Admin, ns, "ha", """{"serving":{"maxBatchSize":32}}""");
        await Eventually.HoldsAsync("the new leader reconciles", async () =>
            (await Admin.AppsV1.ReadNamespacedDeploymentAsync("ha", ns)).Spec.Template.Spec.Containers[0].Env.Any(e => e.Name == "Batching__MaxBatchSize" && e.Value == "32"));
        Assert.DoesNotContain(fixture.Plane.Audit.Of(standby.User, started), e => e.IsForbidden);
    }

    private async Task<InferenceService> WaitForAsync(string ns, string name, string what, Func<InferenceService, bool> condition, TimeSpan? timeout = null)
    {
        InferenceService? last = null;
        await Eventually.HoldsAsync(what, async () => condition(last = await Services.GetAsync(Admin, ns, name)), timeout,
            seen: async () => $"{(last is null ? "nothing" : Services.Describe(last))}\nevents: {await Services.EventsAsync(Admin, ns, name)}");
        return last!;
    }
}
