using System.Diagnostics;
using System.Text.Json.Nodes;
using Platform.Operator.Api.Schema;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Tests.Api;

public sealed class CrdYamlTests
{
    [Fact]
    public void Yaml_reads_back_as_the_generated_tree()
    {
        var yaml = CrdBuilder.BuildYaml(typeof(InferenceService), CrdFiles.Header);

        AssertSameJson(CrdSchema.Crd, YamlJson.Parse(yaml));
    }

    [Fact]
    public void Strings_that_look_like_other_types_are_quoted()
    {
        var yaml = CrdBuilder.BuildYaml(typeof(InferenceService), CrdFiles.Header);

        Assert.Contains("- \"True\"", yaml, StringComparison.Ordinal);
        Assert.Contains("- \"Off\"", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("- Off\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubectl_parses_the_crd_file_to_the_same_object()
    {
        // kubectl is on every build machine, CI included; without it this check fails rather than hides.
        Assert.True(Kubectl.IsInstalled, "kubectl is required on PATH for this test (it is installed on the build machines)");
        var file = Path.Combine(RepositoryRoot.File("crds"), CrdBuilder.FileName(typeof(InferenceService)));

        // annotate --local reads the file with kubectl's own YAML decoder and needs no cluster.
        var json = Kubectl.Run("annotate", "--local", "-f", file, "crdgen.test/parsed=true", "-o", "json");

        var parsed = JsonNode.Parse(json)!.AsObject();
        var metadata = parsed["metadata"]!.AsObject();
        Assert.Equal("true", (string?)metadata["annotations"]!["crdgen.test/parsed"]);
        metadata.Remove("annotations");
        AssertSameJson(CrdSchema.Crd, parsed);
    }

    private static void AssertSameJson(JsonNode expected, JsonNode? actual)
    {
        // Re-parse both so numbers compare by value, not by how they were created.
        var e = JsonNode.Parse(expected.ToJsonString());
        var a = JsonNode.Parse(actual?.ToJsonString() ?? "null");
        Assert.True(JsonNode.DeepEquals(e, a), "The YAML does not read back as the generated CRD.");
    }
}

internal static class Kubectl
{
    public static bool IsInstalled { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(dir => File.Exists(Path.Combine(dir, "kubectl")));

    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // No kubeconfig: nothing here may reach a cluster.
        start.Environment["KUBECONFIG"] = "/dev/null";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("kubectl did not finish within 30 s.");
        }
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }
}
