namespace Platform.InferencePod.Preprocessing;

/// <summary>Pure ranking functions of the classification postprocessing.</summary>
public static class TopK
{
    /// <summary>exp(x − max) / Σ exp(x − max): probabilities that sum to 1, stable for large logits.</summary>
    public static double[] Softmax(ReadOnlySpan<double> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var value in logits) max = Math.Max(max, value);
        var result = new double[logits.Length];
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            result[i] = Math.Exp(logits[i] - max);
            sum += result[i];
        }
        for (var i = 0; i < result.Length; i++) result[i] /= sum;
        return result;
    }

    /// <summary>
    /// The indices of the <paramref name="k"/> highest scores, highest first; equal scores keep
    /// the lower index first, and NaN ranks below every number.
    /// </summary>
    public static int[] Select(ReadOnlySpan<double> scores, int k)
    {
        var indices = new int[scores.Length];
        for (var i = 0; i < indices.Length; i++) indices[i] = i;
        var copy = scores.ToArray();
        Array.Sort(indices, (a, b) =>
        {
            var x = copy[a];
            var y = copy[b];
            if (double.IsNaN(x) || double.IsNaN(y))
            {
                if (double.IsNaN(x) && double.IsNaN(y)) return a.CompareTo(b);
                return double.IsNaN(x) ? 1 : -1;
            }
            var byScore = y.CompareTo(x);
            return byScore != 0 ? byScore : a.CompareTo(b);
        });
        return indices[..Math.Min(k, indices.Length)];
    }
}
