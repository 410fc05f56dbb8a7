using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Platform.Operator.Controller;
using Platform.Operator.Reconciliation;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Chart;

/// <summary>The operator Deployment: restricted security, probes, resources, and a configuration the operator accepts.</summary>
public sealed class DeploymentTests
{
    public static TheoryData<string> Variants => ChartVariants.All;

    [ToolTheory(TestPrograms.Helm)]
    [MemberData(nameof(Variants))]
    public async Task Pod_and_container_meet_the_restricted_pod_security_standard(string variant)
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of(variant));
        var pod = chart.Single("Deployment")["spec"]!["template"]!["spec"]!;
        var container = chart.OperatorContainer["securityContext"]!;

        Assert.True((bool?)pod["securityContext"]?["runAsNonRoot"]);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]?["seccompProfile"]?["type"]);
        Assert.False((bool?)container["allowPrivilegeEscalation"]);
        Assert.True((bool?)container["readOnlyRootFilesystem"]);
        Assert.True((bool?)container["runAsNonRoot"]);
        Assert.Equal(["ALL"], JsonStrings.Of(container["capabilities"]?["drop"]));
        Assert.Null(container["capabilities"]?["add"]);
        Assert.Equal("RuntimeDefault", (string?)container["seccompProfile"]?["type"]);
        Assert.Null(pod["hostNetwork"]);
        Assert.Null(pod["hostPID"]);
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task Runs_as_the_same_non_root_user_as_the_inference_pods_and_the_images()
    {
        var chart = await RenderedChart.RenderAsync();
        var pod = chart.Single("Deployment")["spec"]!["template"]!["spec"]!;
        var inferencePodUser = new ReconcileSettings { DefaultImage = "unused" }.RunAsUser;

        Assert.Equal(inferencePodUser, (long?)pod["securityContext"]?["runAsUser"]);
        Assert.Equal(inferencePodUser, (long?)pod["securityContext"]?["runAsGroup"]);
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task Cluster_assigned_users_leave_run_as_user_out_but_keep_run_as_non_root()
    {
        var chart = await RenderedChart.RenderAsync("--set", "runAsUser=null", "--set", "runAsGroup=null");
        var context = chart.Single("Deployment")["spec"]!["template"]!["spec"]!["securityContext"]!;

        Assert.Null(context["runAsUser"]);
        Assert.Null(context["runAsGroup"]);
        Assert.True((bool?)context["runAsNonRoot"]);
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task The_read_only_root_filesystem_has_a_writable_tmp()
    {
        var chart = await RenderedChart.RenderAsync();
        var mounts = chart.OperatorContainer["volumeMounts"]!.AsArray();
        var volumes = chart.Single("Deployment")["spec"]!["template"]!["spec"]!["volumes"]!.AsArray();

        var tmp = Assert.Single(mounts, m => (string?)m!["mountPath"] == "/tmp");
        var volume = Assert.Single(volumes, v => (string?)v!["name"] == (string?)tmp!["name"]);
        Assert.NotNull(volume!["emptyDir"]);
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task Probes_ask_the_operators_health_and_readiness_endpoints_on_the_port_it_listens_on()
    {
        var chart = await RenderedChart.RenderAsync();
        var container = chart.OperatorContainer;
        var port = Assert.Single(container["ports"]!.AsArray());

        Assert.Equal("/healthz", (string?)container["livenessProbe"]?["httpGet"]?["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]?["httpGet"]?["path"]);
        Assert.Equal("/healthz", (string?)container["startupProbe"]?["httpGet"]?["path"]);
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            Assert.Equal((string?)port!["name"], (string?)container[probe]!["httpGet"]!["port"]);
        }
        Assert.Equal(((long)port!["containerPort"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), chart.Environment["ASPNETCORE_HTTP_PORTS"]);
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task Requests_cpu_and_memory_and_limits_memory()
    {
        var chart = await RenderedChart.RenderAsync();
        var resources = chart.OperatorContainer["resources"]!;

        Assert.NotNull(resources["requests"]?["cpu"]);
        Assert.NotNull(resources["requests"]?["memory"]);
        Assert.NotNull(resources["limits"]?["memory"]);
    }

    [ToolTheory(TestPrograms.Helm)]
    [InlineData("defaults", false, "Recreate")]
    [InlineData("two-replicas", true, "RollingUpdate")]
    [InlineData("one-replica-leader-election", true, "RollingUpdate")]
    public async Task Leader_election_is_on_above_one_replica_and_then_alone_allows_rolling_updates(string variant, bool enabled, string strategy)
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of(variant));

        Assert.Equal(enabled ? "true" : "false", chart.Environment["Operator__LeaderElection__Enabled"]);
        Assert.Equal(strategy, (string?)chart.Single("Deployment")["spec"]!["strategy"]!["type"]);
        if (enabled)
        {
            Assert.Equal(RenderedChart.ReleaseNamespace, chart.Environment["Operator__LeaderElection__Namespace"]);
            Assert.Equal("metadata.name", chart.FieldRef("Operator__LeaderElection__Identity"));
            Assert.Equal(OperatorApiCalls.LeaseName, chart.Environment["Operator__LeaderElection__LeaseName"]);
        }
    }

    [ToolTheory(TestPrograms.Helm)]
    [MemberData(nameof(Variants))]
    public async Task The_operator_accepts_the_configuration_the_chart_gives_it(string variant)
    {
        var chart = await RenderedChart.RenderAsync(ChartVariants.Of(variant));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(ChartConfiguration.Of(chart)!).Build();
        var options = new OperatorOptions();

        // As OperatorHost binds it: a key the operator does not know stops it at start.
        configuration.GetSection("Operator").Bind(options, o => o.ErrorOnUnknownConfiguration = true);

        Assert.Empty(options.Validate());
        Assert.Equal(ChartVariants.LeaderElectionOf(variant), options.LeaderElection.Enabled);
        Assert.Equal(ChartVariants.WatchNamespaceOf(variant), options.WatchNamespace);
        Assert.Equal("ghcr.io/platform/inference-pod:" + AppVersion, options.DefaultImage);
        Assert.Equal(5, options.PreStopSleepSeconds);
        if (options.LeaderElection.Enabled)
        {
            Assert.Equal(ChartConfiguration.PodName, options.LeaderElection.Identity);
        }
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task Images_default_to_the_charts_app_version_and_a_digest_pins_the_operator_image()
    {
        var appVersion = AppVersion;
        var chart = await RenderedChart.RenderAsync();
        var digest = "sha256:" + new string('a', 64);
        var pinned = await RenderedChart.RenderAsync("--set", $"image.digest={digest}");

        Assert.Equal($"ghcr.io/platform/operator:{appVersion}", (string?)chart.OperatorContainer["image"]);
        Assert.Equal($"ghcr.io/platform/operator@{digest}", (string?)pinned.OperatorContainer["image"]);
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task Extra_environment_variables_are_appended()
    {
        // --set turns 0 into a number; Kubernetes takes only string values.
        var chart = await RenderedChart.RenderAsync(
            "--set", "extraEnv[0].name=DOTNET_gcServer", "--set", "extraEnv[0].value=0",
            "--set", "extraEnv[1].name=POD_IP", "--set", "extraEnv[1].valueFrom.fieldRef.fieldPath=status.podIP");

        Assert.Equal("0", chart.Environment["DOTNET_gcServer"]);
        Assert.Equal("status.podIP", chart.FieldRef("POD_IP"));
    }

    [Fact]
    public void The_charts_kube_version_is_the_oldest_kubernetes_the_operator_supports()
    {
        var kubeVersion = (string)YamlDocuments.ParseFile(Path.Combine(Helm.ChartDirectory, "Chart.yaml")).Single()["kubeVersion"]!;

        Assert.Equal($">={ClusterCapabilities.MinimumSupported}.0-0", kubeVersion);
    }

    private static string AppVersion => (string)YamlDocuments.ParseFile(Path.Combine(Helm.ChartDirectory, "Chart.yaml")).Single()["appVersion"]!;
}
