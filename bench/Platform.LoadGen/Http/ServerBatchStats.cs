using System.Globalization;
using Platform.Contracts;

namespace Platform.LoadGen.Http;

/// <summary>The pod's batch size histogram totals (rows and runs), read from its Prometheus text.</summary>
internal sealed record ServerBatchStats(double RowSum, double RunCount)
{
    /// <summary>Mean rows per model run between two scrapes, or null when no run happened or a scrape failed.</summary>
    public static double? MeanBetween(ServerBatchStats? before, ServerBatchStats? after) =>
        before is not null && after is not null && after.RunCount > before.RunCount
            ? (after.RowSum - before.RowSum) / (after.RunCount - before.RunCount)
            : null;

    /// <summary>Sums the batch size histogram's _sum and _count series of <paramref name="model"/>; null when the text has none.</summary>
    public static ServerBatchStats? Parse(string prometheusText, string model)
    {
        double? sum = null, count = null;
        foreach (var line in prometheusText.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }
            if (Sample(line, PodMetrics.BatchSize + "_sum", model) is { } s)
            {
                sum = (sum ?? 0) + s;
            }
            else if (Sample(line, PodMetrics.BatchSize + "_count", model) is { } c)
            {
                count = (count ?? 0) + c;
            }
        }
        return sum is { } total && count is { } runs ? new ServerBatchStats(total, runs) : null;
    }

    /// <summary>The value of a sample line of <paramref name="name"/> whose model label, if it has one, is <paramref name="model"/>.</summary>
    private static double? Sample(ReadOnlySpan<char> line, string name, string model)
    {
        if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length)
        {
            return null;
        }
        var rest = line[name.Length..];
        if (rest[0] == '{')
        {
            var close = rest.IndexOf('}');
            if (close < 0)
            {
                return null;
            }
            if (LabelValue(rest[1..close], PodMetrics.ModelLabel) is { } labelled && labelled != model)
            {
                return null;
            }
            rest = rest[(close + 1)..];
        }
        else if (rest[0] != ' ')
        {
            return null;
        }
        rest = rest.TrimStart(' ');
        var end = rest.IndexOf(' ');
        var value = end < 0 ? rest : rest[..end];
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    /// <summary>The value of label <paramref name="key"/> in 'k1="v1",k2="v2"', or null when absent.</summary>
    private static string? LabelValue(ReadOnlySpan<char> labels, string key)
    {
        while (!labels.IsEmpty)
        {
            var equals = labels.IndexOf("=\"", StringComparison.Ordinal);
            if (equals < 0)
            {
                return null;
            }
            var name = labels[..equals].Trim();
            var value = new System.Text.StringBuilder();
            var i = equals + 2;
            for (; i < labels.Length && labels[i] != '"'; i++)
            {
                // Prometheus escapes backslash, quote and newline inside label values.
                if (labels[i] == '\\' && i + 1 < labels.Length)
                {
                    i++;
                }
                value.Append(labels[i]);
            }
            if (name.SequenceEqual(key))
            {
                return value.ToString();
            }
            labels = i + 1 < labels.Length ? labels[(i + 1)..].TrimStart(',') : [];
        }
        return null;
    }
}
