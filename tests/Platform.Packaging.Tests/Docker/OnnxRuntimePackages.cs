using System.Xml.Linq;
using Platform.Packaging.Tests.Support;

namespace Platform.Packaging.Tests.Docker;

/// <summary>The ONNX Runtime packages the pod's two flavours pin, and where NuGet restored them.</summary>
internal static class OnnxRuntimePackages
{
    public const string Cpu = "Microsoft.ML.OnnxRuntime";
    public const string Gpu = "Microsoft.ML.OnnxRuntime.Gpu.Linux";

    /// <summary>The version Directory.Packages.props pins for a package.</summary>
    public static string? PinnedVersion(string package) =>
        XDocument.Load(RepositoryRoot.File("Directory.Packages.props")).Descendants("PackageVersion")
            .FirstOrDefault(e => (string?)e.Attribute("Include") == package)?.Attribute("Version")?.Value;

    /// <summary>The NuGet global packages folder (NUGET_PACKAGES, else ~/.nuget/packages).</summary>
    public static string PackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } given
            ? given
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The CUDA provider library of the pinned GPU package, or null when that package is not restored.</summary>
    public static string? CudaProviderLibrary
    {
        get
        {
            var version = PinnedVersion(Gpu);
            if (version is null) return null;
            var path = Path.Combine(PackagesFolder, Gpu.ToLowerInvariant(), version, "runtimes", "linux-x64", "native", "libonnxruntime_providers_cuda.so");
            return File.Exists(path) ? path : null;
        }
    }
}

/// <summary>A fact that needs the pinned GPU package restored (tools/test's GPU build restores it); skipped with the reason otherwise.</summary>
public sealed class GpuPackageRestoredFactAttribute : FactAttribute
{
    public GpuPackageRestoredFactAttribute()
    {
        if (OnnxRuntimePackages.CudaProviderLibrary is null)
        {
            Skip = $"{OnnxRuntimePackages.Gpu} {OnnxRuntimePackages.PinnedVersion(OnnxRuntimePackages.Gpu)} is not restored in {OnnxRuntimePackages.PackagesFolder}: " +
                "run tools/test, or dotnet restore inference-pod -p:OnnxRuntimeFlavor=Gpu";
        }
    }
}
