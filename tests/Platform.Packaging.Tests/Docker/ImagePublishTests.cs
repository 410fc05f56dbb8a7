using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Docker;

/// <summary>
/// Carries out each Dockerfile's build stage here (COPY and the dotnet restore and publish
/// commands, CPU flavour) and checks that it yields what the runtime stage starts.
/// </summary>
public sealed class ImagePublishTests
{
    [Theory]
    [InlineData(Images.Operator, "Platform.Operator")]
    [InlineData(Images.Pod, "Platform.InferencePod")]
    public async Task The_build_stage_publishes_a_ready_to_run_entry_point_for_the_aspnet_runtime(string file, string assembly)
    {
        var dockerfile = Images.Load(file);
        var arguments = Images.Arguments();
        var chain = dockerfile.FinalChain(arguments);
        var fromBuild = Assert.Single(chain.SelectMany(s => s.Where("COPY")), c => c.Flags.TryGetValue("from", out var from) && dockerfile.StageNamed(from)?.Where("RUN").Any() == true);
        var buildStage = dockerfile.StageNamed(fromBuild.Flags["from"])!;
        using var root = new TemporaryDirectory("platform-image-");

        await BuildStageRunner.RunAsync(dockerfile, buildStage, arguments, RepositoryRoot.Path, root.Path);

        var output = BuildStageRunner.Map(root.Path, fromBuild.Body.Split(' ')[0]);
        var entrypoint = DockerfileLint.ExecForm(DockerfileLint.Effective(chain, "ENTRYPOINT")!.Body)!;
        Assert.True(File.Exists(Path.Combine(output, Path.GetFileName(entrypoint[0]))), $"ENTRYPOINT {entrypoint[0]} is not in the published output");
        var dll = Path.Combine(output, assembly + ".dll");
        using (var pe = new PEReader(File.OpenRead(dll)))
        {
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly}.dll is not ReadyToRun compiled");
        }
        var frameworks = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, assembly + ".runtimeconfig.json")))!["runtimeOptions"]!["frameworks"]!.AsArray();
        var aspnet = Assert.Single(frameworks, f => (string?)f!["name"] == "Microsoft.AspNetCore.App");
        Assert.StartsWith(dockerfile.GlobalValues(arguments)["DOTNET_VERSION"].Split('.')[0] + ".", (string)aspnet!["version"]!, StringComparison.Ordinal);
        if (assembly == "Platform.InferencePod")
        {
            Assert.True(File.Exists(Path.Combine(output, "libonnxruntime.so")), "the CPU ONNX Runtime native library is not published");
        }
    }
}
