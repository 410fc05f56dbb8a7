using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Docker;

/// <summary>The operator image's build stage, carried out here (framework-dependent, without ReadyToRun). (One class per image: xunit runs the two in parallel.)</summary>
public sealed class OperatorImagePublishTests
{
    [Fact]
    public Task The_build_stage_publishes_the_entry_point_for_the_aspnet_runtime() =>
        ImagePublish.CheckAsync(Images.Operator, "Platform.Operator");
}

/// <summary>The pod image's build stage (CPU flavour, ReadyToRun), carried out here.</summary>
public sealed class PodImagePublishTests
{
    [Fact]
    public Task The_build_stage_publishes_a_ready_to_run_entry_point_for_the_aspnet_runtime() =>
        ImagePublish.CheckAsync(Images.Pod, "Platform.InferencePod");
}

/// <summary>The GPU pod image's build stage, carried out here (the CUDA provider builds and publishes without a GPU).</summary>
public sealed class GpuPodImagePublishTests
{
    [GpuPackageRestoredFact]
    public Task The_gpu_build_stage_publishes_the_cuda_provider_and_no_other_platforms_libraries() =>
        ImagePublish.CheckAsync(Images.Pod, "Platform.InferencePod", "gpu");
}

/// <summary>
/// Carries out a Dockerfile's build stage (COPY and the dotnet restore and publish commands)
/// and checks that it yields what the runtime stage starts.
/// </summary>
internal static class ImagePublish
{
    private static bool IsManagedAssembly(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return pe.HasMetadata;
    }

    public static async Task CheckAsync(string file, string assembly, string? flavor = null)
    {
        var dockerfile = Images.Load(file);
        var arguments = Images.Arguments(flavor);
        var chain = dockerfile.FinalChain(arguments);
        var fromBuild = Assert.Single(chain.SelectMany(s => s.Where("COPY")), c => c.Flags.TryGetValue("from", out var from) && dockerfile.StageNamed(from)?.Where("RUN").Any() == true);
        var buildStage = dockerfile.StageNamed(fromBuild.Flags["from"])!;
        using var root = new TemporaryDirectory("platform-image-");

        await BuildStageRunner.RunAsync(dockerfile, buildStage, arguments, RepositoryRoot.Path, root.Path);

        var output = BuildStageRunner.Map(root.Path, fromBuild.Body.Split(' ')[0]);
        var entrypoint = DockerfileLint.ExecForm(DockerfileLint.Effective(chain, "ENTRYPOINT")!.Body)!;
        Assert.True(File.Exists(Path.Combine(output, Path.GetFileName(entrypoint[0]))), $"ENTRYPOINT {entrypoint[0]} is not in the published output");
        var readyToRun = buildStage.Where("RUN").Any(r => r.Body.Contains("-p:PublishReadyToRun=true", StringComparison.Ordinal));
        using (var pe = new PEReader(File.OpenRead(Path.Combine(output, assembly + ".dll"))))
        {
            Assert.Equal(readyToRun, pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0);
        }
        var frameworks = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, assembly + ".runtimeconfig.json")))!["runtimeOptions"]!["frameworks"]!.AsArray();
        var aspnet = Assert.Single(frameworks, f => (string?)f!["name"] == "Microsoft.AspNetCore.App");
        Assert.StartsWith(dockerfile.GlobalValues(arguments)["DOTNET_VERSION"].Split('.')[0] + ".", (string)aspnet!["version"]!, StringComparison.Ordinal);
        if (assembly == "Platform.InferencePod")
        {
            Assert.True(File.Exists(Path.Combine(output, "libonnxruntime.so")), "the ONNX Runtime native library is not published");
            Assert.Equal(flavor == "gpu", File.Exists(Path.Combine(output, "libonnxruntime_providers_cuda.so")));
        }
        // One runtime identifier: no Windows or macOS native library, no runtimes/ tree of other platforms.
        var foreign = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".dylib", StringComparison.Ordinal) || (f.EndsWith(".dll", StringComparison.Ordinal) && !IsManagedAssembly(f)))
            .Select(f => Path.GetRelativePath(output, f))
            .ToList();
        Assert.True(foreign.Count == 0, "native libraries of other platforms are published: " + string.Join(", ", foreign));
        Assert.False(Directory.Exists(Path.Combine(output, "runtimes")), "a runtimes/ tree is published: the publish is not for one runtime identifier");
    }
}
