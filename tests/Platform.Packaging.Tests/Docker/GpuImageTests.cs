using System.Text.RegularExpressions;
using Platform.InferencePod.Model;

namespace Platform.Packaging.Tests.Docker;

/// <summary>The GPU image's CUDA base against what ONNX Runtime's CUDA provider links.</summary>
public sealed partial class GpuImageTests
{
    [Fact]
    public void The_cpu_and_gpu_flavours_pin_one_onnx_runtime_version()
    {
        var cpu = OnnxRuntimePackages.PinnedVersion(OnnxRuntimePackages.Cpu);
        var gpu = OnnxRuntimePackages.PinnedVersion(OnnxRuntimePackages.Gpu);

        Assert.NotNull(cpu);
        Assert.Equal(cpu, gpu);
    }

    [GpuPackageRestoredFact]
    public void The_gpu_base_image_has_the_cuda_major_version_the_provider_links()
    {
        var needed = ElfNeededLibraries.Read(OnnxRuntimePackages.CudaProviderLibrary!);
        var cudart = Assert.Single(needed, n => n.StartsWith("libcudart.so.", StringComparison.Ordinal));
        var providerMajor = cudart["libcudart.so.".Length..].Split('.')[0];
        Assert.Contains($"libcublasLt.so.{providerMajor}", needed);

        var pod = Images.Load(Images.Pod);
        var arguments = Images.Arguments("gpu");
        var baseImage = pod.BaseImage(pod.FinalChain(arguments), arguments);
        var tag = CudaTag().Match(baseImage);

        Assert.True(tag.Success, $"the GPU base image '{baseImage}' is not an nvidia/cuda X.Y.Z-cudnn-runtime image");
        Assert.True(tag.Groups["major"].Value == providerMajor,
            $"the GPU base image '{baseImage}' is CUDA {tag.Groups["major"].Value}, but {OnnxRuntimePackages.Gpu} {OnnxRuntimePackages.PinnedVersion(OnnxRuntimePackages.Gpu)}'s CUDA provider links {cudart} (CUDA {providerMajor}): it cannot load there");
    }

    [GeneratedRegex(@"^nvidia/cuda:(?<major>[0-9]+)\.[0-9]+\.[0-9]+-cudnn[0-9]*-runtime-ubuntu[0-9.]+$")]
    private static partial Regex CudaTag();
}
