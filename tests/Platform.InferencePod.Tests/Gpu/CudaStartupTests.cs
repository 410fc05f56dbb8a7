using System.Diagnostics;
using Platform.Contracts;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Gpu;

/// <summary>The GPU build of the pod, started with the CUDA provider on a machine without CUDA: one line, never the CPU.</summary>
public sealed class CudaStartupTests
{
    [GpuBuildWithoutCudaFact]
    public async Task Without_cuda_libraries_start_up_stops_with_one_line_naming_them_and_writes_the_termination_message()
    {
        var terminationLog = Path.Combine(Path.GetTempPath(), $"pod-termination-{Guid.NewGuid():N}.log");
        try
        {
            var (exitCode, stdout, stderr) = await RunAsync(
                $"--Model:Path={TestModels.Mlp}", "--Model:ExecutionProvider=cuda", $"--Server:TerminationMessagePath={terminationLog}");

            Assert.Equal(2, exitCode);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"inference-pod: {PodExitReasons.GpuRuntimeUnavailable}: {PodSettings.ModelExecutionProvider} is 'cuda'", line, StringComparison.Ordinal);
            foreach (var library in new[] { "libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcurand.so.10", "libcudnn.so.9" })
                Assert.Contains(library, line, StringComparison.Ordinal);
            Assert.DoesNotContain("Serving model", stdout, StringComparison.Ordinal);

            var message = (await File.ReadAllTextAsync(terminationLog)).TrimEnd('\n');
            Assert.Equal(line["inference-pod: ".Length..], message);
            Assert.True(PodExitReasons.TryParse(message, out var reason, out _));
            Assert.Equal(PodExitReasons.GpuRuntimeUnavailable, reason);
        }
        finally
        {
            File.Delete(terminationLog);
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(GpuPodBuild.Assembly!);
        info.ArgumentList.Add("--urls=http://127.0.0.1:0");
        info.ArgumentList.Add("--Server:GrpcPort=0");
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
