using System.Globalization;
using System.Text;
using Platform.AutoscaleSim.Simulation;

namespace Platform.AutoscaleSim.Reporting;

/// <summary>The results as a Markdown table, one row per curve × trace × policy.</summary>
public static class MarkdownTable
{
    public static string Render(IReadOnlyList<RunResult> runs)
    {
        var text = new StringBuilder();
        text.AppendLine("| curve | trace | policy | SLO attainment (requests) | SLO attainment (10 s windows) | refused | replica-seconds | × oracle |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var group in runs.GroupBy(r => (r.Curve, r.Trace)))
        {
            var oracle = group.FirstOrDefault(r => r.Policy == "oracle")?.ReplicaSeconds;
            foreach (var run in group)
            {
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {run.Curve} | {run.Trace} | {run.Policy} | {run.RequestAttainment * 100:0.00}% | {run.WindowAttainment * 100:0.0}% ({run.WindowsMeetingSlo}/{run.Windows}) | {run.Refused:N0} ({(double)run.Refused / Math.Max(1, run.Offered) * 100:0.00}%) | {run.ReplicaSeconds:N0} | {(oracle is > 0 ? (run.ReplicaSeconds / oracle.Value).ToString("0.00", CultureInfo.InvariantCulture) : "–")} |"));
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// One row per curve × trace × policy over every seed: mean and worst request
    /// attainment, mean and worst replica-seconds over the same seed's oracle.
    /// </summary>
    public static string RenderSeeds(IReadOnlyList<(int Seed, RunResult Run)> runs)
    {
        var text = new StringBuilder();
        text.AppendLine("| curve | trace | policy | SLO attainment mean | worst seed | refused mean | × oracle mean | worst seed |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var group in runs.GroupBy(r => (r.Run.Curve, r.Run.Trace)))
        {
            var oracle = group.Where(r => r.Run.Policy == "oracle").ToDictionary(r => r.Seed, r => r.Run.ReplicaSeconds);
            foreach (var policy in group.GroupBy(r => r.Run.Policy))
            {
                var attainment = policy.Select(r => r.Run.RequestAttainment).ToList();
                var cost = policy.Where(r => oracle.GetValueOrDefault(r.Seed) > 0).Select(r => r.Run.ReplicaSeconds / oracle[r.Seed]).ToList();
                var refused = policy.Average(r => (double)r.Run.Refused / Math.Max(1, r.Run.Offered));
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {group.Key.Curve} | {group.Key.Trace} | {policy.Key} | {attainment.Average() * 100:0.00}% | {attainment.Min() * 100:0.00}% | {refused * 100:0.00}% | {(cost.Count > 0 ? cost.Average().ToString("0.00", CultureInfo.InvariantCulture) : "–")} | {(cost.Count > 0 ? cost.Max().ToString("0.00", CultureInfo.InvariantCulture) : "–")} |"));
            }
        }

        return text.ToString();
    }
}
