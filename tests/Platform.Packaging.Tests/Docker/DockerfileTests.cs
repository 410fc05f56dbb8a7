using Platform.Contracts;
using Platform.Operator.Reconciliation;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Docker;

/// <summary>The Dockerfiles' structure, checked without a Docker engine (none runs here; hadolint is not available either).</summary>
public sealed class DockerfileTests
{
    [Theory]
    [InlineData(Images.Operator, null)]
    [InlineData(Images.Pod, null)]
    [InlineData(Images.Pod, "cpu")]
    [InlineData(Images.Pod, "gpu")]
    public void The_image_passes_the_structural_lint(string file, string? flavor)
    {
        var problems = DockerfileLint.Check(Images.Load(file), Images.Arguments(flavor));

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData(Images.Operator, null)]
    [InlineData(Images.Pod, "cpu")]
    [InlineData(Images.Pod, "gpu")]
    public void The_image_runs_as_the_user_the_pod_security_contexts_name_and_serves_on_the_pods_port(string file, string? flavor)
    {
        var chain = Images.Load(file).FinalChain(Images.Arguments(flavor));

        Assert.Equal(new ReconcileSettings { DefaultImage = "unused" }.RunAsUser, DockerfileLint.Uid(DockerfileLint.Effective(chain, "USER")!.Body));
        Assert.Equal(PodSettings.DefaultHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), DockerfileLint.Effective(chain, "EXPOSE")!.Body);
    }

    [Fact]
    public void The_cpu_pod_and_the_operator_run_on_the_chiseled_aspnet_runtime()
    {
        var operatorImage = Images.Load(Images.Operator);
        var pod = Images.Load(Images.Pod);

        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", operatorImage.BaseImage(operatorImage.FinalChain(Images.Arguments()), Images.Arguments()));
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", pod.BaseImage(pod.FinalChain(Images.Arguments()), Images.Arguments()));
    }

    [Fact]
    public void The_gpu_pod_runs_on_cuda_and_cudnn_with_the_aspnet_runtime_and_links_the_gpu_onnx_runtime()
    {
        var pod = Images.Load(Images.Pod);
        var arguments = Images.Arguments("gpu");
        var chain = pod.FinalChain(arguments);

        Assert.Matches(@"^nvidia/cuda:[0-9]+\.[0-9.]+-cudnn[0-9]*-runtime-ubuntu24\.04$", pod.BaseImage(chain, arguments));
        var runtimeCopy = Assert.Single(chain.SelectMany(s => s.Where("COPY")), c => c.Body.StartsWith("/usr/share/dotnet", StringComparison.Ordinal));
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", Dockerfile.Substitute(pod.StageNamed(runtimeCopy.Flags["from"])!.From, pod.GlobalValues(arguments)), StringComparison.Ordinal);

        var build = pod.StageNamed("build")!;
        var values = pod.StageValues(build, arguments);
        Assert.All(build.Where("RUN"), run => Assert.Contains("-p:OnnxRuntimeFlavor=gpu", Dockerfile.Substitute(run.Body, values), StringComparison.Ordinal));
    }

    [Fact]
    public void The_pod_is_published_ready_to_run_so_new_replicas_reach_ready_sooner()
    {
        var pod = Images.Load(Images.Pod);

        Assert.Contains(pod.StageNamed("build")!.Where("RUN"), r => r.Body.StartsWith("dotnet publish", StringComparison.Ordinal) && r.Body.Contains("-p:PublishReadyToRun=true", StringComparison.Ordinal));
    }

    [Fact]
    public void The_lint_reports_each_rule_a_bad_dockerfile_breaks()
    {
        var bad = Dockerfile.Parse("""
            FROM mcr.microsoft.com/dotnet/sdk AS build
            ADD https://example.com/tool.tgz /tmp/
            FROM mcr.microsoft.com/dotnet/sdk:latest
            RUN apt-get update
            USER root
            ENV ASPNETCORE_HTTP_PORTS=8080
            EXPOSE 80
            ENTRYPOINT dotnet app.dll
            """);

        var problems = string.Join("\n", DockerfileLint.Check(bad, Images.Arguments()));

        Assert.Contains("base image 'mcr.microsoft.com/dotnet/sdk' needs an explicit tag", problems, StringComparison.Ordinal);
        Assert.Contains("base image 'mcr.microsoft.com/dotnet/sdk:latest' needs an explicit tag", problems, StringComparison.Ordinal);
        Assert.Contains("use COPY, not ADD", problems, StringComparison.Ordinal);
        Assert.Contains("built on the SDK image", problems, StringComparison.Ordinal);
        Assert.Contains("copies nothing from a build stage", problems, StringComparison.Ordinal);
        Assert.Contains("RUN in the runtime image's stages", problems, StringComparison.Ordinal);
        Assert.Contains("USER 'root' must be a numeric non-root uid:gid", problems, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT must be in exec form", problems, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080 is not EXPOSEd", problems, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_output_tools_and_models_stay_out_of_the_build_context()
    {
        var ignore = DockerIgnore.Load(RepositoryRoot.Path);

        Assert.True(ignore.Excludes("operator/bin/Release/Platform.Operator.dll"));
        Assert.True(ignore.Excludes("inference-pod/obj/project.assets.json"));
        Assert.True(ignore.Excludes("artifacts/bin/Platform.Operator/debug/Platform.Operator.dll"));
        Assert.True(ignore.Excludes(".tools/helm/helm"));
        Assert.True(ignore.Excludes(".git/HEAD"));
        Assert.True(ignore.Excludes("samples/models/mobilenet_v2.onnx"));
        Assert.False(ignore.Excludes("operator/Program.cs"));
        Assert.False(ignore.Excludes("Directory.Packages.props"));
    }
}
