using System.Globalization;

namespace Platform.FeatureBench.Cli;

/// <summary>How long and how hard each workload runs, and where its inputs are.</summary>
internal sealed record BenchOptions
{
    public int Rounds { get; init; } = 5;
    public TimeSpan LatencyTime { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ThroughputTime { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);
    public int Concurrency { get; init; } = 8;
    /// <summary>ONNX Runtime intra-op threads, the pod's and the in-process baseline's alike.</summary>
    public int Threads { get; init; } = 2;
    public string ModelsDirectory { get; init; } = "";
    public string? LabelsPath { get; init; }
    /// <summary>auto: with Redis when redis-server is installed; on: fail without it; off: in-process cache only.</summary>
    public string Redis { get; init; } = "auto";
    /// <summary>A JPEG of the caller's to classify, beside the generated ones.</summary>
    public string? Image { get; init; }

    public const string Help = """
        featurebench: the pod's image classification, protocols and response cache against the same
        work done in process (the pod runs in this process on loopback ports).

        usage: featurebench COMMAND [options]

        commands:
          classify    JPEG in, top-5 out through POST /classify, against decode + preprocess + Run + top-5
                      in process (the pod's own code and a raw InferenceSession.Run on the same model)
          protocols   one model's tensor through gRPC ModelInfer (raw_input_contents), REST with the binary
                      tensor extension and REST JSON, against a raw InferenceSession.Run; on mlp and mobilenet_v2
          cache       one request repeated with the response cache on: hit, miss (Cache-Control: no-cache)
                      and raw Run; in-process cache, then Redis when redis-server is installed
          first-request  the first request after ready against the steady p50, per protocol (REST JSON,
                      REST binary, gRPC): a fresh pod process on mobilenet_v2 with its default settings
                      per round and protocol; uses --rounds only
          all         classify, protocols and cache, one after the other
          help        this text

        options (defaults in brackets):
          --rounds N              interleaved rounds per workload [5]
          --latency-time T        per variant per round, one request at a time [1s]
          --throughput-time T     per variant per round, at --concurrency [1s]
          --warmup T              per variant before the first round, at --concurrency [1s]
          --concurrency N         clients of the throughput phase; 1 skips it [8]
          --threads N             ONNX Runtime intra-op threads of the pod and of the baseline [2]
          --models DIR            where mlp.onnx and mobilenet_v2.onnx are [samples/models of the repository]
          --labels FILE           1000 ImageNet labels, one a line [the pod tests' labels-1000.txt]
          --redis auto|on|off     the Redis leg of `cache` [auto: when redis-server is installed]
          --image FILE            also classify this JPEG (or PNG)
        Times: 500ms, 2s, 1.5 (seconds).
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args, string repositoryRoot)
    {
        var options = new BenchOptions
        {
            ModelsDirectory = Path.Combine(repositoryRoot, "samples", "models"),
            LabelsPath = Path.Combine(repositoryRoot, "tests", "Platform.InferencePod.Tests", "TestData", "labels-1000.txt"),
        };
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count) throw new UsageException($"{name} needs a value");
            var value = args[++i];
            options = name switch
            {
                "--rounds" => options with { Rounds = Positive(name, value) },
                "--latency-time" => options with { LatencyTime = Time(name, value) },
                "--throughput-time" => options with { ThroughputTime = Time(name, value) },
                "--warmup" => options with { Warmup = Time(name, value) },
                "--concurrency" => options with { Concurrency = Positive(name, value) },
                "--threads" => options with { Threads = Positive(name, value) },
                "--models" => options with { ModelsDirectory = value },
                "--labels" => options with { LabelsPath = value },
                "--redis" => value is "auto" or "on" or "off" ? options with { Redis = value } : throw new UsageException($"--redis takes auto, on or off (got '{value}')"),
                "--image" => options with { Image = value },
                _ => throw new UsageException($"unknown option '{name}'"),
            };
        }
        return options;
    }

    public static TimeSpan Time(string name, string value)
    {
        double seconds;
        if (value.EndsWith("ms", StringComparison.Ordinal) && double.TryParse(value[..^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)) seconds = ms / 1000;
        else if (value.EndsWith('s') && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var s)) seconds = s;
        else if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds)) throw new UsageException($"{name} takes a time such as 500ms or 2s (got '{value}')");
        if (seconds <= 0 || double.IsNaN(seconds) || double.IsInfinity(seconds)) throw new UsageException($"{name} must be above zero (got '{value}')");
        return TimeSpan.FromSeconds(seconds);
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new UsageException($"{name} takes a whole number above zero (got '{value}')");
}
