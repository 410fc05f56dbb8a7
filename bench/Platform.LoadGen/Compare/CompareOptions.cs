using Platform.LoadGen.Cli;
using Platform.LoadGen.Http;
using Platform.LoadGen.Raw;

namespace Platform.LoadGen.Compare;

/// <summary>Options of "loadgen compare": a raw sweep and closed-loop HTTP runs against the same model.</summary>
internal sealed record CompareOptions(RawOptions Raw, HttpOptions Http, IReadOnlyList<int> Concurrencies)
{
    public static CompareOptions Read(ArgReader args)
    {
        var onnx = CliValues.ExistingFile("onnx", args.RequiredString("onnx"));
        var threads = args.Int("threads", Environment.ProcessorCount, 1, 1024);
        var rawBatches = args.IntList("raw-batch", [1, 8, 32], 1, 65536);
        var concurrencies = args.IntList("concurrency", [1, 16], 1, 100_000);
        var http = HttpOptions.Read(args, loadShape: false, defaultModel: Path.GetFileNameWithoutExtension(onnx));
        // The raw sweep always holds the request's batch size (for the added latency) and the
        // HTTP runs always hold concurrency 1 (where that latency is read).
        var raw = new RawOptions(onnx, threads, rawBatches.Append(http.Batch).Distinct().Order().ToList(), http.Duration, http.Warmup, http.Seed, null);
        var runs = concurrencies.Prepend(1).Distinct().Order().ToList();
        return new CompareOptions(raw, http with { Connections = http.Connections ?? runs[^1] }, runs);
    }
}
