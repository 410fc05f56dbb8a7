using System.Runtime.InteropServices;

namespace Platform.InferencePod.Tests.Support;

/// <summary>
/// The GPU flavour of the pod, built by tools/test into its own artifacts folder
/// (&lt;artifacts&gt;/gpu, beside this test's &lt;artifacts&gt;/bin), or named by PLATFORM_GPU_POD.
/// </summary>
public static class GpuPodBuild
{
    public static string? Assembly
    {
        get
        {
            var given = Environment.GetEnvironmentVariable("PLATFORM_GPU_POD");
            if (!string.IsNullOrEmpty(given)) return File.Exists(given) ? given : null;
            // This assembly sits in <artifacts>/bin/Platform.InferencePod.Tests/<configuration>/.
            var artifacts = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", ".."));
            return new[] { "debug", "release" }
                .Select(c => Path.Combine(artifacts, "gpu", "bin", "Platform.InferencePod", c, "Platform.InferencePod.dll"))
                .FirstOrDefault(File.Exists);
        }
    }

    /// <summary>Whether this machine can load the CUDA runtime (a GPU machine, where the pod would start).</summary>
    public static bool CudaRuntimePresent => NativeLibrary.TryLoad("libcudart.so.13", out _);
}

/// <summary>A fact that needs the GPU build of the pod on a machine without CUDA; skipped with the reason otherwise.</summary>
public sealed class GpuBuildWithoutCudaFactAttribute : FactAttribute
{
    public GpuBuildWithoutCudaFactAttribute()
    {
        if (GpuPodBuild.Assembly is null)
            Skip = "the GPU build of the pod is absent: tools/test builds it (dotnet build inference-pod -p:OnnxRuntimeFlavor=Gpu -p:PLATFORM_ARTIFACTS=<artifacts>/gpu), or set PLATFORM_GPU_POD";
        else if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            Skip = "ONNX Runtime's CUDA build is for Linux x64 only";
        else if (GpuPodBuild.CudaRuntimePresent)
            Skip = "libcudart.so.13 loads on this machine: the pod would find CUDA here";
    }
}
