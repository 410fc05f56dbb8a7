namespace Platform.InferencePod.Configuration;

/// <summary>Warm-up before readiness (section "Warmup").</summary>
public sealed class WarmupOptions
{
    /// <summary>Batch sizes to run, comma separated ("1,8"); empty means every size from 1 to the maximum batch size (see <c>WarmupPlan</c>).</summary>
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

    /// <summary>
    /// With the CUDA provider and no sizes given, warm-up runs every batch size the batcher can
    /// send (1 to the maximum): cuDNN picks its convolution algorithms per input shape on first
    /// use, which would otherwise fall on the first request of each size.
    /// </summary>
    public void ApplyProviderDefault(string executionProvider, int maxBatchSize)
    {
        if (executionProvider != Platform.Contracts.PodSettings.ExecutionProviders.Cuda || !string.IsNullOrWhiteSpace(BatchSizes) || maxBatchSize < 1) return;
        BatchSizes = string.Join(',', Enumerable.Range(1, maxBatchSize));
    }

    public int[] ResolveBatchSizes(int maxBatchSize)
    {
        if (string.IsNullOrWhiteSpace(BatchSizes)) return Enumerable.Range(1, Math.Max(1, maxBatchSize)).ToArray();
        TryParseBatchSizes(BatchSizes, out var sizes);
        return sizes;
    }
}
