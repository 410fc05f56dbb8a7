using Platform.Contracts;

namespace Platform.InferencePod.Gpu;

/// <summary>Checks the "Gpu" section; each problem is one line naming its key.</summary>
public static class GpuOptionsValidator
{
    public static List<string> Validate(GpuOptions options)
    {
        var errors = new List<string>();
        if (options.MinFreeMemoryBytes < 0)
            errors.Add($"{PodSettings.GpuMinFreeMemoryBytes} must be 0 (off) or a number of bytes (got {options.MinFreeMemoryBytes})");
        if (double.IsNaN(options.SampleIntervalMs) || options.SampleIntervalMs < 10 || options.SampleIntervalMs > 60_000)
            errors.Add($"{PodSettings.GpuSampleIntervalMs} must be between 10 and 60000 (got {options.SampleIntervalMs})");
        return errors;
    }
}
