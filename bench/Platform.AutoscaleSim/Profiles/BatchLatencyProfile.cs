using System.Globalization;
using System.Text.Json;

namespace Platform.AutoscaleSim.Profiles;

/// <summary>
/// Service time of one batch as a function of its size, from a measured JSONL profile.
/// Between measured sizes the median and p95 are interpolated linearly; past the largest
/// measured size the time per item of that size is kept.
/// </summary>
public sealed class BatchLatencyProfile
{
    private const double P95ZScore = 1.6448536269514722;

    private readonly int[] _batches;
    private readonly double[] _p50Seconds;
    private readonly double[] _p95Seconds;

    private BatchLatencyProfile(string name, SortedDictionary<int, (double P50, double P95)> points)
    {
        Name = name;
        _batches = [.. points.Keys];
        _p50Seconds = [.. points.Values.Select(p => p.P50 / 1000)];
        _p95Seconds = [.. points.Values.Select(p => Math.Max(p.P95, p.P50) / 1000)];
    }

    public string Name { get; }

    /// <summary>
    /// Reads the lines of <paramref name="path"/> for one model and dtype. Lines without a
    /// batch size (descriptions) are skipped; repeated batch sizes are averaged.
    /// </summary>
    public static BatchLatencyProfile Load(string path, string model, string dtype)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Profile '{path}' does not exist.", path);
        }

        var sums = new Dictionary<int, (double P50, double P95, int N)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement root;
            try
            {
                root = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not JSON ({e.Message}).", e);
            }

            if (!root.TryGetProperty("batch", out var batchElement))
            {
                continue;
            }

            if (root.GetProperty("model").GetString() != model || root.GetProperty("dtype").GetString() != dtype)
            {
                continue;
            }

            var batch = batchElement.GetInt32();
            var p50 = root.GetProperty("p50_ms").GetDouble();
            var p95 = root.GetProperty("p95_ms").GetDouble();
            if (batch < 1 || !(p50 > 0) || !(p95 > 0))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: batch, p50_ms and p95_ms must be positive.");
            }

            var s = sums.GetValueOrDefault(batch);
            sums[batch] = (s.P50 + p50, s.P95 + p95, s.N + 1);
        }

        if (sums.Count == 0)
        {
            throw new InvalidDataException($"{path}: no lines for model '{model}' dtype '{dtype}'.");
        }

        var points = new SortedDictionary<int, (double, double)>(sums.ToDictionary(kv => kv.Key, kv => (kv.Value.P50 / kv.Value.N, kv.Value.P95 / kv.Value.N)));
        return new BatchLatencyProfile($"{model} {dtype} ({Path.GetFileName(path)})", points);
    }

    /// <summary>Median service time of a batch of <paramref name="batch"/> items, in seconds.</summary>
    public double MedianSeconds(int batch) => Interpolate(_p50Seconds, batch);

    /// <summary>95th percentile service time of a batch, in seconds.</summary>
    public double P95Seconds(int batch) => Interpolate(_p95Seconds, batch);

    /// <summary>
    /// A random service time: log-normal with the profile's median and p95 at this size.
    /// </summary>
    public double SampleSeconds(int batch, Random random)
    {
        var median = MedianSeconds(batch);
        var sigma = Math.Log(P95Seconds(batch) / median) / P95ZScore;
        return sigma <= 0 ? median : median * Math.Exp(sigma * StandardNormal(random));
    }

    public string Describe(int maxBatch) => string.Join(", ", new[] { 1, maxBatch }.Distinct().Select(b =>
        string.Create(CultureInfo.InvariantCulture, $"batch {b}: {MedianSeconds(b) * 1000:0.##} ms ({b / MedianSeconds(b):0} items/s)")));

    private double Interpolate(double[] values, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (batch <= _batches[0])
        {
            return values[0];
        }

        for (var i = 1; i < _batches.Length; i++)
        {
            if (batch <= _batches[i])
            {
                var f = (double)(batch - _batches[i - 1]) / (_batches[i] - _batches[i - 1]);
                return values[i - 1] + (f * (values[i] - values[i - 1]));
            }
        }

        return values[^1] * batch / _batches[^1];
    }

    private static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
