using System.Runtime.InteropServices;

namespace Platform.InferencePod.Gpu;

/// <summary>
/// The few NVML calls the pod needs, bound at run time from the driver's libnvidia-ml.so.1.
/// On a node without the NVIDIA driver the library is absent and <see cref="TryOpen"/> says why.
/// </summary>
public sealed unsafe class NvmlLibrary : IDisposable
{
    public const string LibraryName = "libnvidia-ml.so.1";
    private const int Success = 0;

    private readonly IntPtr _library;
    private readonly IntPtr[] _devices;
    private readonly delegate* unmanaged[Cdecl]<int> _shutdown;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, NvmlMemory*, int> _memoryInfo;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, NvmlUtilization*, int> _utilizationRates;
    private int _disposed;

    private NvmlLibrary(IntPtr library, IntPtr[] devices, IntPtr shutdown, IntPtr memoryInfo, IntPtr utilizationRates)
    {
        _library = library;
        _devices = devices;
        _shutdown = (delegate* unmanaged[Cdecl]<int>)shutdown;
        _memoryInfo = (delegate* unmanaged[Cdecl]<IntPtr, NvmlMemory*, int>)memoryInfo;
        _utilizationRates = (delegate* unmanaged[Cdecl]<IntPtr, NvmlUtilization*, int>)utilizationRates;
    }

    public int DeviceCount => _devices.Length;

    /// <summary>Loads and initialises NVML and resolves every device; null (with the reason) when that is not possible.</summary>
    public static NvmlLibrary? TryOpen(out string reason)
    {
        if (!NativeLibrary.TryLoad(LibraryName, out var library))
        {
            reason = $"{LibraryName} is not present (no NVIDIA driver on this node)";
            return null;
        }
        try
        {
            if (!Export(library, "nvmlInit_v2", out var init) || !Export(library, "nvmlShutdown", out var shutdown)
                || !Export(library, "nvmlDeviceGetCount_v2", out var getCount) || !Export(library, "nvmlDeviceGetHandleByIndex_v2", out var getHandle)
                || !Export(library, "nvmlDeviceGetMemoryInfo", out var memoryInfo) || !Export(library, "nvmlDeviceGetUtilizationRates", out var utilization))
            {
                NativeLibrary.Free(library);
                reason = $"{LibraryName} lacks one of the NVML functions the pod uses";
                return null;
            }
            var code = ((delegate* unmanaged[Cdecl]<int>)init)();
            if (code != Success)
            {
                NativeLibrary.Free(library);
                reason = $"nvmlInit_v2 failed with NVML error {code}";
                return null;
            }
            uint count;
            code = ((delegate* unmanaged[Cdecl]<uint*, int>)getCount)(&count);
            var devices = new IntPtr[code == Success ? count : 0];
            for (var i = 0u; i < devices.Length; i++)
            {
                IntPtr device;
                devices[i] = ((delegate* unmanaged[Cdecl]<uint, IntPtr*, int>)getHandle)(i, &device) == Success ? device : IntPtr.Zero;
            }
            reason = "";
            return new NvmlLibrary(library, devices, shutdown, memoryInfo, utilization);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            NativeLibrary.Free(library);
            reason = $"NVML could not be used: {e.Message}";
            return null;
        }
    }

    /// <summary>Reads memory and utilization of one device; false when NVML refuses.</summary>
    public bool TryRead(int index, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GpuDeviceSample? sample)
    {
        sample = null;
        if (Volatile.Read(ref _disposed) != 0 || (uint)index >= (uint)_devices.Length || _devices[index] == IntPtr.Zero) return false;
        NvmlMemory memory;
        if (_memoryInfo(_devices[index], &memory) != Success) return false;
        NvmlUtilization utilization;
        // Utilization is unsupported on some devices (and under MIG); memory alone is still useful.
        var busy = _utilizationRates(_devices[index], &utilization) == Success ? utilization.Gpu / 100.0 : double.NaN;
        sample = new GpuDeviceSample(index, (long)memory.Free, (long)memory.Total, busy);
        return true;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _shutdown();
        NativeLibrary.Free(_library);
    }

    private static bool Export(IntPtr library, string name, out IntPtr address) => NativeLibrary.TryGetExport(library, name, out address);

    // nvmlMemory_t and nvmlUtilization_t of nvml.h.
    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlUtilization
    {
        public uint Gpu;
        public uint Memory;
    }
}
