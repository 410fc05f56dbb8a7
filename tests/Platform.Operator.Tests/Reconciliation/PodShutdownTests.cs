using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class PodShutdownTests
{
    private static readonly ClusterCapabilities V128 = new(new KubernetesVersion(1, 28), "v1.28.4");
    private static readonly ClusterCapabilities V130 = new(new KubernetesVersion(1, 30), "v1.30.0");

    //           server  sleep setting  drain (spec)  → sleep  drain  grace (margin 5)
    [Theory]
    [InlineData(130, 5, 30, 5, 30, 40)]
    [InlineData(130, 0, 30, 0, 30, 35)]
    [InlineData(128, 5, 30, 0, 35, 40)]
    [InlineData(128, 0, 30, 0, 30, 35)]
    [InlineData(128, 20, 3600, 0, 3600, 3605)]
    public void The_sleep_runs_where_the_server_has_it_and_otherwise_goes_to_the_drain(int server, int sleepSetting, int drain, int sleep, int expectedDrain, long grace)
    {
        var cluster = server == 128 ? V128 : V130;
        var spec = TestServices.Pvc(s => s.Serving.DrainTimeoutSeconds = drain).Spec;

        var shutdown = PodShutdown.For(spec, TestServices.Settings with { PreStopSleepSeconds = sleepSetting }, cluster);

        Assert.Equal(new PodShutdown(sleep, expectedDrain, grace), shutdown);
    }

    [Fact]
    public void Before_1_30_the_deployment_has_no_pre_stop_hook_and_the_pod_drains_longer()
    {
        var state = DesiredStateBuilder.Build(TestServices.Pvc(), TestServices.Settings, 1, V128);

        var container = TestServices.Container(state);
        Assert.Null(container.Lifecycle);
        Assert.Equal("35", container.Env.Single(e => e.Name == "Server__DrainTimeoutSeconds").Value);
        Assert.Equal(40, state.Deployment.Spec.Template.Spec.TerminationGracePeriodSeconds);
    }

    [Fact]
    public void From_1_30_the_hook_sleeps_and_the_pod_drains_as_the_spec_says()
    {
        var state = DesiredStateBuilder.Build(TestServices.Pvc(), TestServices.Settings, 1, V130);

        var container = TestServices.Container(state);
        Assert.Equal(5, container.Lifecycle.PreStop.Sleep.Seconds);
        Assert.Equal("30", container.Env.Single(e => e.Name == "Server__DrainTimeoutSeconds").Value);
        Assert.Equal(40, state.Deployment.Spec.Template.Spec.TerminationGracePeriodSeconds);
    }
}
