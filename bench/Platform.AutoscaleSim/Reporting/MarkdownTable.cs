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
}
