using System.Text.Json.Nodes;
using Platform.Operator.Api.V1Alpha1;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Samples;

/// <summary>The Argo CD and Flux samples point at the chart, and the values they give it are values it accepts.</summary>
public sealed class GitOpsSampleTests
{
    [ToolFact(TestPrograms.Helm)]
    public async Task The_argo_cd_application_installs_the_chart_with_values_it_accepts()
    {
        var application = SampleFiles.OfKind("Application").Single(a => (string?)a.Document["spec"]!["source"]!["path"] == "charts/platform").Document;

        await AssertChartAcceptsAsync(application["spec"]!["source"]!["helm"]!["valuesObject"]!.AsObject());
    }

    [ToolFact(TestPrograms.Helm)]
    public async Task The_flux_helm_release_installs_the_chart_from_its_git_source_with_values_it_accepts()
    {
        var release = Assert.Single(SampleFiles.OfKind("HelmRelease")).Document;
        var chart = release["spec"]!["chart"]!["spec"]!;
        var source = chart["sourceRef"]!;

        Assert.Equal("./charts/platform", (string?)chart["chart"]);
        Assert.Contains(SampleFiles.OfKind((string)source["kind"]!), s => (string?)s.Document["metadata"]!["name"] == (string?)source["name"]);
        Assert.Equal("CreateReplace", (string?)release["spec"]!["upgrade"]!["crds"]);
        await AssertChartAcceptsAsync(release["spec"]!["values"]!.AsObject());
    }

    [Fact]
    public void The_flux_kustomization_syncs_from_a_defined_source()
    {
        var kustomization = Assert.Single(SampleFiles.OfKind("Kustomization")).Document;
        var source = kustomization["spec"]!["sourceRef"]!;

        Assert.Contains(SampleFiles.OfKind((string)source["kind"]!), s => (string?)s.Document["metadata"]!["name"] == (string?)source["name"]);
    }

    [Fact]
    public void The_argo_cd_application_of_inference_services_ignores_the_replica_count_others_own()
    {
        var application = SampleFiles.OfKind("Application").Single(a => a.Document["spec"]!["ignoreDifferences"] is not null).Document;

        Assert.Contains(application["spec"]!["ignoreDifferences"]!.AsArray(), d =>
            (string?)d!["group"] == InferenceService.GroupName && (string?)d["kind"] == InferenceService.KindName
            && d["jsonPointers"]!.AsArray().Any(p => (string?)p == "/spec/replicas"));
        Assert.Contains(application["spec"]!["syncPolicy"]!["syncOptions"]!.AsArray(), o => (string?)o == "RespectIgnoreDifferences=true");
    }

    private static async Task AssertChartAcceptsAsync(JsonObject values)
    {
        using var directory = new TemporaryDirectory("platform-values-");
        var file = directory.File("values.json");
        await File.WriteAllTextAsync(file, values.ToJsonString());

        var result = await Helm.TemplateAsync("--values", file);

        Assert.True(result.ExitCode == 0, result.Describe("helm template with the sample's values"));
    }
}
