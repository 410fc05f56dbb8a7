using System.Runtime.InteropServices;
using Platform.Contracts;
using Platform.InferencePod.Configuration;

namespace Platform.InferencePod.Model;

/// <summary>
/// Before a session asks for the CUDA execution provider: every library the provider links
/// (its ELF NEEDED entries) and cuDNN must load, and the device must be visible. Otherwise
/// start-up stops with one line naming each missing library or the device count, instead of
/// ONNX Runtime's first dlopen error or a run on the CPU.
/// </summary>
public static class CudaRuntimeCheck
{
    public const string ProviderLibrary = "libonnxruntime_providers_cuda.so";
    /// <summary>cuDNN is opened by the provider at run time rather than linked, so it is not among the NEEDED entries.</summary>
    public const string CudnnLibrary = "libcudnn.so.9";

    /// <summary>Throws a <see cref="StartupException"/> (reason GpuRuntimeUnavailable) when the provider cannot run on <paramref name="deviceId"/>.</summary>
    public static void EnsureUsable(int deviceId)
    {
        var provider = FindProviderLibrary(AppContext.BaseDirectory);
        if (provider is null)
        {
            throw Unavailable($"{PodSettings.ModelExecutionProvider} is '{PodSettings.ExecutionProviders.Cuda}' but {ProviderLibrary} is not beside the pod in {AppContext.BaseDirectory}; use the GPU build (-p:OnnxRuntimeFlavor=Gpu)");
        }
        IReadOnlyList<string> linked;
        try
        {
            linked = ElfNeededLibraries.Read(provider);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"{PodSettings.ModelExecutionProvider} is '{PodSettings.ExecutionProviders.Cuda}' but {provider} cannot be read: {e.Message}");
        }
        var needed = linked.Append(CudnnLibrary).ToList();
        var missing = needed.Where(name => !CanLoad(name, Path.GetDirectoryName(provider)!)).ToList();
        int? count = null;
        var error = "";
        if (missing.Count == 0 && needed.FirstOrDefault(n => n.StartsWith("libcudart.so", StringComparison.Ordinal)) is { } cudart)
        {
            (count, error) = DeviceCount(cudart);
        }
        if (Describe(missing, count, error, deviceId) is { } problem) throw Unavailable(problem);
    }

    /// <summary>The one line for what was found, or null when the provider can run.</summary>
    public static string? Describe(IReadOnlyList<string> missing, int? deviceCount, string deviceCountError, int deviceId)
    {
        var prefix = $"{PodSettings.ModelExecutionProvider} is '{PodSettings.ExecutionProviders.Cuda}' but";
        if (missing.Count > 0)
        {
            return $"{prefix} the CUDA execution provider cannot load: {string.Join(", ", missing)} not found. " +
                "It needs CUDA 13 and cuDNN 9 user-space libraries (the GPU image has them, or put them on LD_LIBRARY_PATH) " +
                "and libcuda.so.1 from an NVIDIA driver >= 580 (on a GPU node, with nvidia.com/gpu requested)";
        }
        if (deviceCount is null or 0)
        {
            var detail = deviceCountError.Length > 0 ? $" (cudaGetDeviceCount: {deviceCountError})" : "";
            return $"{prefix} no CUDA device is visible: 0 devices{detail}; request nvidia.com/gpu and run on a node with an NVIDIA driver >= 580";
        }
        if (deviceId >= deviceCount)
        {
            return $"{PodSettings.ModelDeviceId} is {deviceId} but {deviceCount} CUDA device(s) are visible (ids 0 to {deviceCount - 1})";
        }
        return null;
    }

    /// <summary>The provider library: beside the application (a runtime-specific publish) or under runtimes/RID/native (a portable build).</summary>
    public static string? FindProviderLibrary(string baseDirectory)
    {
        var beside = Path.Combine(baseDirectory, ProviderLibrary);
        if (File.Exists(beside)) return beside;
        var runtimes = Path.Combine(baseDirectory, "runtimes");
        if (!Directory.Exists(runtimes)) return null;
        var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var native = Path.Combine(runtimes, $"linux-{architecture}", "native", ProviderLibrary);
        return File.Exists(native) ? native : null;
    }

    private static bool CanLoad(string name, string providerDirectory)
    {
        if (NativeLibrary.TryLoad(name, out _)) return true;
        // Libraries shipped with ONNX Runtime itself sit beside the provider.
        var beside = Path.Combine(providerDirectory, name);
        return File.Exists(beside) && NativeLibrary.TryLoad(beside, out _);
    }

    private static unsafe (int? Count, string Error) DeviceCount(string cudart)
    {
        if (!NativeLibrary.TryLoad(cudart, out var library)
            || !NativeLibrary.TryGetExport(library, "cudaGetDeviceCount", out var getCount))
        {
            return (null, $"{cudart} has no cudaGetDeviceCount");
        }
        int count;
        var status = ((delegate* unmanaged<int*, int>)getCount)(&count);
        if (status == 0) return (count, "");
        var text = NativeLibrary.TryGetExport(library, "cudaGetErrorString", out var errorString)
            ? Marshal.PtrToStringAnsi(((delegate* unmanaged<int, IntPtr>)errorString)(status))
            : null;
        return (0, $"error {status}{(string.IsNullOrEmpty(text) ? "" : ", " + text)}");
    }

    private static StartupException Unavailable(string message) =>
        new(message, reason: PodExitReasons.GpuRuntimeUnavailable);
}
