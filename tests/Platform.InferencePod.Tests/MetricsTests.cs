using System.Diagnostics;
using Platform.Contracts;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests;

public sealed class MetricsTests(MlpPodFixture fixture) : IClassFixture<MlpPodFixture>
{
    [Fact]
    public async Task Every_contract_metric_is_exported_with_the_model_label()
    {
        await fixture.Pod.InferJsonAsync("mlp", V2Requests.Json("input", [1, 64], new float[64]));
        var text = await fixture.Pod.MetricsTextAsync();
        foreach (var name in new[] { PodMetrics.QueueDepth, PodMetrics.InFlight, PodMetrics.QueueCapacity, PodMetrics.ModelReady, PodMetrics.Requests, PodMetrics.Rejections })
        {
            Assert.Contains($"\n{name}{{{PodMetrics.ModelLabel}=\"mlp\"", text);
        }
        foreach (var name in new[] { PodMetrics.RequestDuration, PodMetrics.QueueWait, PodMetrics.ComputeDuration, PodMetrics.BatchSize })
        {
            Assert.Contains($"\n{name}_bucket{{{PodMetrics.ModelLabel}=\"mlp\",le=\"+Inf\"}}", text);
            Assert.Contains($"# TYPE {name} histogram", text);
        }
        Assert.Contains($"{PodMetrics.RequestDuration}_bucket{{{PodMetrics.ModelLabel}=\"mlp\",le=\"0.001\"}}", text);
        Assert.Contains($"{PodMetrics.RequestDuration}_bucket{{{PodMetrics.ModelLabel}=\"mlp\",le=\"30\"}}", text);
    }

    [Fact]
    public async Task The_service_time_per_batch_size_is_measured_from_warm_up_with_the_model_version()
    {
        var text = await fixture.Pod.MetricsTextAsync();
        var lines = text.Split('\n').Where(l => l.StartsWith(PodMetrics.BatchServiceTime + "{", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.Contains(lines, l => l.Contains($"{PodMetrics.BatchSizeLabel}=\"1\"", StringComparison.Ordinal));
        Assert.All(lines, l =>
        {
            Assert.Contains($"{PodMetrics.ModelLabel}=\"mlp\",{PodMetrics.ModelVersionLabel}=\"", l, StringComparison.Ordinal);
            var seconds = double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(seconds, 1e-7, 1);
        });
        Assert.Contains($"# TYPE {PodMetrics.BatchServiceTime} gauge", text);
    }

    [Fact]
    public void The_service_time_averages_the_first_runs_then_moves_with_live_ones()
    {
        var times = new Platform.InferencePod.Metrics.BatchServiceTimes(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()), "m", "3");
        times.Observe(4, 0.010);
        times.Observe(4, 0.020);
        Assert.Equal(0.015, times.Mean(4)!.Value, 9);
        for (var i = 0; i < 200; i++) times.Observe(4, 0.040);
        Assert.InRange(times.Mean(4)!.Value, 0.0399, 0.0401);
        Assert.Null(times.Mean(8));
        times.Observe(0, 1);
        times.Observe(2, double.NaN);
        Assert.Null(times.Mean(2));
    }

    [ToolFact(TestPrograms.Promtool)]
    public async Task Promtool_finds_no_problem_in_the_exposition()
    {
        var text = await fixture.Pod.MetricsTextAsync();
        var info = new ProcessStartInfo(TestPrograms.Find(TestPrograms.Promtool)!, "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("promtool did not start");
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && output.Trim().Length == 0, $"promtool check metrics: {output}");
    }
}
