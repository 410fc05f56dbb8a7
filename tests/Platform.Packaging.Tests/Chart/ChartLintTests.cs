using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Chart;

/// <summary>The chart as a package: lint-clean, bad values refused with their name, and the same CRD as crds/.</summary>
public sealed class ChartLintTests
{
    [ToolTheory(TestPrograms.Helm)]
    [InlineData]
    [InlineData("--set", "replicas=3", "--set", "operator.watchNamespace=ml", "--set", "metrics.serviceMonitor.enabled=true",
        "--set", "metrics.podMonitor.enabled=true", "--set", "prometheusRule.enabled=true")]
    public async Task Helm_lint_strict_passes(params string[] setArguments)
    {
        var result = await Helm.RunAsync(["lint", "--strict", Helm.ChartDirectory, .. setArguments]);

        Assert.True(result.ExitCode == 0, result.Describe("helm lint --strict"));
    }

    [ToolTheory(TestPrograms.Helm)]
    [InlineData("replicas=-1", "/replicas")]
    [InlineData("replicas=two", "/replicas")]
    [InlineData("replica=2", "'replica'")]
    [InlineData("operator.workers=0", "/operator/workers")]
    [InlineData("operator.watchNamespace=Team_A", "/operator/watchNamespace")]
    [InlineData("operator.logLevel=Verbose", "/operator/logLevel")]
    [InlineData("image.pullPolicy=Sometimes", "/image/pullPolicy")]
    [InlineData("image.digest=latest", "/image/digest")]
    [InlineData("metrics.port=80", "/metrics/port")]
    [InlineData("prometheusRule.queueSaturated.threshold=2", "/prometheusRule/queueSaturated/threshold")]
    [InlineData("prometheusRule.modelNotReady.for=ten", "/prometheusRule/modelNotReady/for")]
    [InlineData("runAsUser=0", "/runAsUser")]
    public async Task The_values_schema_refuses_a_bad_value_naming_it(string assignment, string named)
    {
        var result = await Helm.TemplateAsync("--set", assignment);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(named, result.StandardError, StringComparison.Ordinal);
    }

    [ToolTheory(TestPrograms.Helm)]
    [InlineData("operator.leaderElection.renewDeadlineSeconds=20", "operator.leaderElection.leaseDurationSeconds (15) must be greater than operator.leaderElection.renewDeadlineSeconds (20)")]
    [InlineData("operator.leaderElection.retryPeriodSeconds=9", "operator.leaderElection.renewDeadlineSeconds (10) must be greater than 1.2 x operator.leaderElection.retryPeriodSeconds (9)")]
    public async Task Leader_election_timing_the_operator_would_refuse_is_refused_at_install(string assignment, string message)
    {
        var result = await Helm.TemplateAsync("--set", "replicas=2", "--set", assignment);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task A_service_monitor_without_the_metrics_service_is_refused()
    {
        var result = await Helm.TemplateAsync("--set", "metrics.serviceMonitor.enabled=true", "--set", "metrics.service.enabled=false");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("metrics.serviceMonitor.enabled needs metrics.service.enabled", result.StandardError, StringComparison.Ordinal);
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task An_existing_service_account_must_be_named()
    {
        var result = await Helm.TemplateAsync("--set", "serviceAccount.create=false");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("serviceAccount.name is required", result.StandardError, StringComparison.Ordinal);
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task The_install_notes_render_and_say_how_to_check_and_use_the_operator()
    {
        var result = await Helm.RunAsync("install", "platform", Helm.ChartDirectory, "--namespace", "platform-system", "--dry-run=client", "--set", "replicas=2");

        Assert.True(result.ExitCode == 0, result.Describe("helm install --dry-run=client"));
        var notes = result.StandardOutput[result.StandardOutput.IndexOf("NOTES:", StringComparison.Ordinal)..];
        Assert.Contains("rollout status deployment/platform", notes, StringComparison.Ordinal);
        Assert.Contains("elect a leader on Lease platform-system/platform-operator", notes, StringComparison.Ordinal);
        Assert.Contains("kubectl apply --server-side -f crds/", notes, StringComparison.Ordinal);
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task Every_repository_file_the_install_notes_name_exists()
    {
        var result = await Helm.RunAsync("install", "platform", Helm.ChartDirectory, "--namespace", "platform-system", "--dry-run=client");

        Assert.True(result.ExitCode == 0, result.Describe("helm install --dry-run=client"));
        var notes = result.StandardOutput[result.StandardOutput.IndexOf("NOTES:", StringComparison.Ordinal)..];
        var paths = System.Text.RegularExpressions.Regex.Matches(notes, @"@?\b((?:samples|crds|docs|charts)/[\w./-]*)").Select(m => m.Groups[1].Value.TrimEnd('.')).ToList();
        Assert.Contains("samples/requests/mlp.json", paths);
        Assert.All(paths, p => Assert.True(File.Exists(RepositoryRoot.File(p)) || Directory.Exists(RepositoryRoot.File(p)), $"the install notes name {p}, which does not exist"));
    }

    [Fact]
    public void The_charts_crd_is_byte_identical_to_the_generated_one_in_crds()
    {
        var generated = Directory.GetFiles(RepositoryRoot.File("crds"), "*.yaml").Select(Path.GetFileName).Order().ToList();
        var packaged = Directory.GetFiles(Path.Combine(Helm.ChartDirectory, "crds"), "*.yaml").Select(Path.GetFileName).Order().ToList();

        Assert.NotEmpty(generated);
        Assert.Equal(generated, packaged);
        foreach (var name in generated)
        {
            var expected = File.ReadAllBytes(RepositoryRoot.File("crds", name!));
            var actual = File.ReadAllBytes(Path.Combine(Helm.ChartDirectory, "crds", name!));
            Assert.True(expected.AsSpan().SequenceEqual(actual),
                $"charts/platform/crds/{name} differs from crds/{name}; copy it (Helm packages do not follow symlinks): cp crds/{name} charts/platform/crds/");
        }
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task The_packaged_crd_is_what_helm_installs()
    {
        var result = await Helm.TemplateAsync("--include-crds");
        Assert.True(result.ExitCode == 0, result.Describe("helm template --include-crds"));

        var crd = Assert.Single(YamlDocuments.Parse(result.StandardOutput), o => (string?)o["kind"] == "CustomResourceDefinition");
        Assert.Equal($"{Operator.Api.V1Alpha1.InferenceService.Plural}.{Operator.Api.V1Alpha1.InferenceService.GroupName}", (string?)crd["metadata"]!["name"]);
    }
}
