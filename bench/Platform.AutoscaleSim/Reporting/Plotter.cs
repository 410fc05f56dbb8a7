using Platform.AutoscaleSim.Simulation;
using ScottPlot;

namespace Platform.AutoscaleSim.Reporting;

/// <summary>One PNG per curve and trace: offered load, replicas and windowed p95 of every policy.</summary>
public static class Plotter
{
    public static string Save(string directory, IReadOnlyList<RunResult> runs, double sloSeconds)
    {
        var first = runs[0];
        var path = Path.Combine(directory, $"{first.Curve}-{first.Trace}.png");
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        var load = multiplot.GetPlot(0);
        var replicas = multiplot.GetPlot(1);
        var latency = multiplot.GetPlot(2);

        var xs = first.Seconds.Select(s => s.At).ToArray();
        load.Add.ScatterLine(xs, first.Seconds.Select(s => s.Rate).ToArray()).LegendText = "offered load";
        load.Title($"{first.Curve} — {first.Trace}");
        load.YLabel("requests/s");

        var sloMs = sloSeconds * 1000;
        var cap = sloMs * 4;
        foreach (var run in runs)
        {
            var r = replicas.Add.ScatterLine(xs, run.Seconds.Select(s => (double)s.Replicas).ToArray());
            r.LegendText = run.Policy;
            r.LineWidth = 1.5f;

            var windowXs = Enumerable.Range(0, run.WindowP95.Count).Select(i => (i + 0.5) * SloRecorder.WindowSeconds).ToArray();
            var windowYs = run.WindowP95.Select(p => double.IsNaN(p) ? 0 : Math.Min(p * 1000, cap)).ToArray();
            var l = latency.Add.ScatterLine(windowXs, windowYs);
            l.LegendText = run.Policy;
            l.LineWidth = 1.5f;
        }

        replicas.YLabel("replicas");
        replicas.ShowLegend(Alignment.UpperRight);
        latency.Add.HorizontalLine(sloMs).LegendText = "SLO";
        latency.YLabel($"p95 per 10 s, ms (capped at {cap:0})");
        latency.XLabel("time, s");
        latency.Axes.SetLimitsY(0, cap * 1.05);
        latency.ShowLegend(Alignment.UpperRight);
        multiplot.SavePng(path, 1400, 1200);
        return path;
    }
}
