using System.Diagnostics;
using Platform.FeatureBench.Cli;
using Platform.FeatureBench.Workloads;

// The first Ctrl+C stops the run (nothing partial is reported); a second one kills.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!cancel.IsCancellationRequested)
    {
        e.Cancel = true;
        _ = Task.Run(cancel.Cancel);
    }
};

if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
{
    Console.WriteLine(BenchOptions.Help);
    return args.Length == 0 ? 2 : 0;
}
try
{
    var options = BenchOptions.Parse(args[1..], RepositoryRoot());
    foreach (var model in new[] { "mlp.onnx", "mobilenet_v2.onnx" })
    {
        if (!File.Exists(Path.Combine(options.ModelsDirectory, model)))
            throw new UsageException($"{model} is not in {options.ModelsDirectory} (give --models DIR)");
    }
    var output = Console.Out;
    var setup = args[0] == "first-request"
        ? $"{options.Rounds} rounds"
        : $"ONNX Runtime intra-op threads {options.Threads}, {options.Rounds} rounds x ({options.LatencyTime.TotalSeconds:0.###} s at c=1 + {options.ThroughputTime.TotalSeconds:0.###} s at c={options.Concurrency}) per variant, warm-up {options.Warmup.TotalSeconds:0.###} s";
    output.WriteLine($"featurebench {args[0]}: {Environment.ProcessorCount} cores, {setup}; started {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {File.ReadAllText("/proc/loadavg").Trim()}");
    var clock = Stopwatch.StartNew();
    switch (args[0])
    {
        case "classify":
            await ClassifyBench.RunAsync(options, output, cancel.Token);
            break;
        case "protocols":
            await ProtocolBench.RunAsync(options, output, cancel.Token);
            break;
        case "cache":
            await CacheBench.RunAsync(options, output, cancel.Token);
            break;
        case "first-request":
            await FirstRequestBench.RunAsync(options, output, cancel.Token);
            break;
        case "all":
            await ClassifyBench.RunAsync(options, output, cancel.Token);
            await ProtocolBench.RunAsync(options, output, cancel.Token);
            await CacheBench.RunAsync(options, output, cancel.Token);
            break;
        default:
            throw new UsageException($"unknown command '{args[0]}' (commands: classify, protocols, cache, first-request, all, help)");
    }
    output.WriteLine();
    output.WriteLine($"Finished in {clock.Elapsed.TotalSeconds:0} s; load average {File.ReadAllText("/proc/loadavg").Trim()}.");
    return 0;
}
catch (UsageException e)
{
    Console.Error.WriteLine($"featurebench: {e.Message}");
    Console.Error.WriteLine("run 'featurebench help' for the options");
    return 2;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("featurebench: cancelled");
    return 130;
}

// The repository holding samples/models, searched upward from the working directory and from this program.
static string RepositoryRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        }
    }
    return Directory.GetCurrentDirectory();
}
