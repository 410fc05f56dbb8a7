namespace Platform.InferencePod.Batching;

/// <summary>
/// How long rows take to compute, from the pod's measured service-time curve: a queue of rows
/// runs as full batches plus one partial batch, each at the time measured for its size. Sizes
/// not measured yet lie on the line between batch 1 and the largest batch (warm-up measures
/// both), which holds for a CPU's linear curve and a GPU's flat one. Free of clocks and I/O.
/// </summary>
public static class ComputeEstimate
{
    /// <param name="rows">Rows to compute.</param>
    /// <param name="maxBatch">Rows one run takes at most.</param>
    /// <param name="measured">Seconds of one run at a batch size, null when that size has not run yet.</param>
    /// <param name="fallbackSecondsPerRow">Cost per row to use before the curve has its end points.</param>
    public static double Seconds(int rows, int maxBatch, Func<int, double?> measured, double fallbackSecondsPerRow)
    {
        if (rows <= 0) return 0;
        maxBatch = Math.Max(1, maxBatch);
        var fullBatches = rows / maxBatch;
        var rest = rows % maxBatch;
        var seconds = 0.0;
        if (fullBatches > 0) seconds += fullBatches * RunSeconds(maxBatch, maxBatch, measured, fallbackSecondsPerRow);
        if (rest > 0) seconds += RunSeconds(rest, maxBatch, measured, fallbackSecondsPerRow);
        return seconds;
    }

    /// <summary>Seconds of one run of <paramref name="size"/> rows (at most <paramref name="maxBatch"/>).</summary>
    public static double RunSeconds(int size, int maxBatch, Func<int, double?> measured, double fallbackSecondsPerRow)
    {
        if (measured(size) is { } exact) return exact;
        var single = measured(1);
        var full = measured(maxBatch);
        if (single is { } one && full is { } all && maxBatch > 1)
            return one + (size - 1) * (all - one) / (maxBatch - 1);
        if (full is { } fullOnly) return fullOnly * size / maxBatch;
        return size * fallbackSecondsPerRow;
    }

    /// <summary>Weight of one run in <see cref="NextCorrection"/>: the last few runs decide, so a slowdown shows within a second.</summary>
    public const double CorrectionWeight = 0.25;

    /// <summary>
    /// The factor the curve's estimates are multiplied by: a moving average of observed over
    /// predicted run time. The curve itself moves slowly (it is what the autoscaler reads, and
    /// must not follow every noisy run), so when the machine slows down (a noisy neighbour, CPU
    /// throttling) or speeds up, admission follows the last few runs instead of the last minutes.
    /// Bounded to [1/4, 8]: one freak run cannot make the pod refuse everything or admit anything.
    /// </summary>
    public static double NextCorrection(double current, double observedSeconds, double predictedSeconds)
    {
        if (!(observedSeconds >= 0) || !(predictedSeconds > 0) || double.IsInfinity(observedSeconds)) return current;
        var next = current + CorrectionWeight * (observedSeconds / predictedSeconds - current);
        return Math.Clamp(next, 0.25, 8);
    }
}
