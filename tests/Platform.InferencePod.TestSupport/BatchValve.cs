using Platform.InferencePod.Gpu;

namespace Platform.InferencePod.TestSupport;

/// <summary>
/// Stops the pod's batch loops from starting runs while closed, through the seam the GPU memory
/// gate reads (a closed valve reports no free memory). Tests queue a backlog exactly, instead of
/// hoping the model computes slower than the client sends.
/// </summary>
public sealed class BatchValve : IGpuMemorySource
{
    private volatile bool _closed;
    private int _allowed;

    /// <summary>The pod settings that make the batch loops consult the valve, every 10 ms while it is closed.</summary>
    public static readonly string[] Settings = ["--Gpu:MinFreeMemoryBytes=1", "--Gpu:SampleIntervalMs=10"];

    public void Close() => _closed = true;

    /// <summary>Lets <paramref name="runs"/> more batches start while closed (the loops ask once per batch).</summary>
    public void Allow(int runs) => Interlocked.Add(ref _allowed, runs);

    public void Open() => _closed = false;

    public bool TryGetFreeMemory(int device, out long freeBytes)
    {
        var hold = _closed && !TryTakeAllowance();
        freeBytes = hold ? 0 : long.MaxValue;
        return true;
    }

    private bool TryTakeAllowance()
    {
        while (true)
        {
            var allowed = Volatile.Read(ref _allowed);
            if (allowed <= 0) return false;
            if (Interlocked.CompareExchange(ref _allowed, allowed - 1, allowed) == allowed) return true;
        }
    }
}
