using Platform.Operator.Api.Schema;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Tests.Api;

public sealed class CrdDriftTests
{
    [Fact]
    public void Crds_directory_holds_exactly_what_the_api_types_generate()
    {
        var drift = CrdFiles.FindDrift(RepositoryRoot.File("crds"));

        Assert.True(drift.Count == 0,
            "crds/ is out of date with operator/Api:\n" + string.Join("\n", drift) +
            "\nRegenerate: dotnet run --project tools/Platform.CrdGen -- crds/");
    }

    [Fact]
    public void Drift_check_reports_a_changed_file_and_a_missing_one()
    {
        var dir = Directory.CreateTempSubdirectory("crd-drift-").FullName;
        try
        {
            Assert.Equal(["missing"], CrdFiles.FindDrift(dir).Select(p => p.Split(": ")[^1]));

            var file = Path.Combine(dir, CrdBuilder.FileName(typeof(InferenceService)));
            var generated = CrdFiles.Generate().Single().Value;
            File.WriteAllText(file, generated);
            Assert.Empty(CrdFiles.FindDrift(dir));

            File.WriteAllText(file, generated.Replace("default: 8", "default: 9", StringComparison.Ordinal));
            var problem = Assert.Single(CrdFiles.FindDrift(dir));
            Assert.Contains("differs from the generated CRD", problem, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        Assert.Equal(
            CrdBuilder.BuildYaml(typeof(InferenceService), CrdFiles.Header),
            CrdBuilder.BuildYaml(typeof(InferenceService), CrdFiles.Header));
    }

    [Fact]
    public void File_is_named_like_controller_gen_names_it()
    {
        Assert.Equal("serving.platform.dev_inferenceservices.yaml", CrdBuilder.FileName(typeof(InferenceService)));
    }
}
