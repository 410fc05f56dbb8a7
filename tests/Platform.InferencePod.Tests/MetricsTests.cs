using System.Diagnostics;
using Platform.Contracts;
using Platform.InferencePod.TestSupport;
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
    public async Task Promtool_finds_no_problem_in_the_exposition()
    {
        var text = await fixture.Pod.MetricsTextAsync();
        var info = new ProcessStartInfo("promtool", "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("promtool (Debian package prometheus) is required; .ci/run installs it");
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && output.Trim().Length == 0, $"promtool check metrics: {output}");
    }
}
