using Microsoft.Extensions.Configuration;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Hosting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests;

public sealed class ConfigurationTests
{
    public static TheoryData<string[], string> BadSettings => new()
    {
        { [], "Model:Path is required" },
        { ["--Model:Path=/nowhere/model.onnx"], "Model:Path '/nowhere/model.onnx' does not exist" },
        { ["--Batching:MaxBatchSize=0"], "Batching:MaxBatchSize must be between 1 and 4096 (got 0)" },
        { ["--Batching:MaxBatchSize=lots"], "Batching:MaxBatchSize" },
        { ["--Queue:Capacity=-3"], "Queue:Capacity must be between 1" },
        { ["--Queue:PriorityLevels=0"], "Queue:PriorityLevels must be between 1 and 16" },
        { ["--Warmup:BatchSizes=1,x"], "Warmup:BatchSizes must be a comma-separated list of positive integers" },
        { ["--Warmup:BatchSizes=64"], "Warmup:BatchSizes '64' has a size above Batching:MaxBatchSize (8)" },
        { ["--Model:ExecutionProvider=tpu"], "Model:ExecutionProvider must be 'cpu' or 'cuda' (got 'tpu')" },
        { ["--Model:Name=my model"], "Model:Name 'my model' may contain only" },
        { ["--Model:Pth=x"], "Pth" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_stops_start_up_with_a_message_naming_it(string[] settings, string expected)
    {
        var args = settings.Any(s => s.StartsWith("--Model:Path", StringComparison.Ordinal)) || (settings.Length == 0)
            ? settings
            : [$"--Model:Path={TestModels.Mlp}", .. settings];
        var error = Assert.Throws<StartupException>(() => PodApp.Build(args));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once()
    {
        var error = Assert.Throws<StartupException>(() => PodApp.Build([$"--Model:Path={TestModels.Mlp}", "--Batching:MaxBatchSize=0", "--Queue:Capacity=0"]));
        Assert.Contains("Batching:MaxBatchSize", error.Message);
        Assert.Contains("Queue:Capacity", error.Message);
    }

    [Fact]
    public void Asking_for_cuda_on_the_cpu_build_fails_with_one_clear_line()
    {
        var error = Assert.Throws<StartupException>(() => PodApp.Build([$"--Model:Path={TestModels.Mlp}", "--Model:ExecutionProvider=cuda"]));
        Assert.Contains("Model:ExecutionProvider is 'cuda' but this build of ONNX Runtime has no CUDA execution provider", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_model_fails_with_one_clear_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "hello");
        try
        {
            var error = Assert.Throws<StartupException>(() => PodApp.Build([$"--Model:Path={path}"]));
            Assert.Contains($"Model:Path '{path}' could not be loaded", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_process_prints_one_line_and_exits_non_zero_on_bad_configuration()
    {
        await using var pod = PodProcess.Start($"--Model:Path={TestModels.Mlp}", "--Batching:MaxQueueDelayMs=-1");
        Assert.Equal(2, await pod.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var lines = pod.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("inference-pod: invalid configuration: Batching:MaxQueueDelayMs must be between 0 and 10000 (got -1)", lines[0]);
    }

    [Fact]
    public async Task A_port_another_process_holds_stops_start_up_with_one_line_naming_the_settings()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        await using var pod = PodProcess.Start($"--Model:Path={TestModels.Mlp}", $"--Server:GrpcPort={taken}", "--Warmup:Iterations=1");
        Assert.Equal(2, await pod.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var line = Assert.Single(pod.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("inference-pod: ", line);
        Assert.Contains($":{taken}", line);
        Assert.Contains("address already in use", line);
        Assert.Contains("Server:GrpcPort", line);
    }

    [Fact]
    public void Settings_bind_from_environment_style_keys()
    {
        Environment.SetEnvironmentVariable("Batching__MaxBatchSize", "5");
        try
        {
            var options = PodOptions.Load(new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(new Dictionary<string, string?> { ["Model:Path"] = TestModels.Mlp }).Build());
            Assert.Equal(5, options.Batching.MaxBatchSize);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Batching__MaxBatchSize", null);
        }
    }
}
