using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using Platform.FeatureBench.Cli;
using Platform.FeatureBench.Inputs;
using Platform.FeatureBench.Measurement;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.TestSupport;

namespace Platform.FeatureBench.Workloads;

/// <summary>
/// How much slower the first request after ready is than the steady state: per round and
/// protocol (REST JSON, REST binary, gRPC; the order rotating from round to round) a fresh pod
/// process on mobilenet_v2 with its default settings is started and polled until ready, then one
/// request is timed on a new connection, then <see cref="SteadyRequests"/> more on it, whose
/// median is the steady p50. The bench's own client code is compiled against a throwaway pod
/// first, so that the first request measures the pod, not this process.
/// </summary>
internal static class FirstRequestBench
{
    public const int SteadyRequests = 40;
    private static readonly string[] Protocols = ["REST JSON", "REST binary", "gRPC"];

    public static async Task RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var modelPath = Path.Combine(options.ModelsDirectory, "mobilenet_v2.onnx");
        TensorRequests requests;
        using (var raw = new RawModel(modelPath, 1))
        {
            var input = raw.Metadata.Inputs[0];
            var shape = input.Shape.Select(d => d < 0 ? 1L : d).ToArray();
            var random = new Random(3);
            var data = Enumerable.Range(0, (int)shape.Aggregate(1L, (a, d) => a * d)).Select(_ => (float)random.NextDouble()).ToArray();
            requests = new TensorRequests(raw.Metadata, [data], [shape]);
        }
        Console.Error.WriteLine("[first-request] compiling the bench's own client paths against a throwaway pod");
        foreach (var protocol in Protocols) await MeasureAsync(modelPath, protocol, requests, cancellationToken);

        var firsts = Protocols.ToDictionary(p => p, _ => new List<double>());
        var steady = Protocols.ToDictionary(p => p, _ => new List<double>());
        var ratios = Protocols.ToDictionary(p => p, _ => new List<double>());
        var loads = new List<double>();
        for (var round = 0; round < options.Rounds; round++)
        {
            loads.Add(LoadAverage.OneMinute());
            for (var k = 0; k < Protocols.Length; k++)
            {
                var protocol = Protocols[(round + k) % Protocols.Length];
                var (first, p50, ready) = await MeasureAsync(modelPath, protocol, requests, cancellationToken);
                firsts[protocol].Add(first);
                steady[protocol].Add(p50);
                ratios[protocol].Add(first / p50);
                Console.Error.WriteLine($"[first-request] round {round + 1}/{options.Rounds} {protocol}: ready after {ready:0.0} s, first {first:0.00} ms, steady p50 {p50:0.00} ms, ratio {first / p50:0.00}");
            }
        }
        loads.Add(LoadAverage.OneMinute());
        output.WriteLine();
        output.WriteLine($"First request after ready vs steady p50, mobilenet_v2, pod defaults, {options.Rounds} rounds (a fresh pod per round and protocol); min / median / max; load average {loads.Min():0.0}..{loads.Max():0.0}");
        output.WriteLine($"{"protocol",-12} {"first ms",-24} {"steady p50 ms",-24} {"first / p50",-20}");
        foreach (var protocol in Protocols)
        {
            output.WriteLine($"{protocol,-12} {Spread(firsts[protocol], "0.0"),-24} {Spread(steady[protocol], "0.0"),-24} {Spread(ratios[protocol], "0.00"),-20}");
        }
    }

    private static string Spread(List<double> values, string format) =>
        string.Join(" / ", new[] { values.Min(), Percentiles.Median(values), values.Max() }.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));

    private static async Task<(double FirstMs, double SteadyP50Ms, double ReadySeconds)> MeasureAsync(string modelPath, string protocol, TensorRequests requests, CancellationToken cancellationToken)
    {
        var grpcPort = PodProcess.FreePort();
        var started = Stopwatch.StartNew();
        await using var pod = PodProcess.Start($"--Model:Path={modelPath}", $"--Server:GrpcPort={grpcPort}");
        await pod.WaitReadyAsync(TimeSpan.FromSeconds(180));
        var ready = started.Elapsed.TotalSeconds;
        var times = new List<long>(SteadyRequests + 1);
        if (protocol == "gRPC")
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
            var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
            for (var i = 0; i <= SteadyRequests; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await client.ModelInferAsync(requests.Grpc, cancellationToken: cancellationToken);
                times.Add(Stopwatch.GetTimestamp() - t);
            }
        }
        else
        {
            using var client = new HttpClient(new SocketsHttpHandler()) { BaseAddress = pod.Client.BaseAddress };
            for (var i = 0; i <= SteadyRequests; i++)
            {
                using var request = protocol == "REST JSON" ? requests.Json() : requests.Binary();
                var t = Stopwatch.GetTimestamp();
                await TensorRequests.SendAsync(client, request, cancellationToken);
                times.Add(Stopwatch.GetTimestamp() - t);
            }
        }
        return (Percentiles.Ms(times[0]), Percentiles.NearestRankMs(Percentiles.Sorted(times.Skip(1)), 0.5), ready);
    }
}
