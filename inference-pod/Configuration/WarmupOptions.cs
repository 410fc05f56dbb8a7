namespace Platform.InferencePod.Configuration;

/// <summary>Warm-up before readiness (section "Warmup").</summary>
public sealed class WarmupOptions
{
    /// <summary>Batch sizes to run, comma separated ("1,8"); empty means 1 and the maximum batch size.</summary>
    public string BatchSizes { get; set; } = "";
    /// <summary>Runs per batch size and model instance.</summary>
    public int Iterations { get; set; } = 3;

    public static bool TryParseBatchSizes(string text, out int[] sizes)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        sizes = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out sizes[i]) || sizes[i] < 1) return false;
        }
        return true;
    }

    public int[] ResolveBatchSizes(int maxBatchSize)
    {
        if (string.IsNullOrWhiteSpace(BatchSizes)) return maxBatchSize > 1 ? [1, maxBatchSize] : [1];
        TryParseBatchSizes(BatchSizes, out var sizes);
        return sizes;
    }
}
