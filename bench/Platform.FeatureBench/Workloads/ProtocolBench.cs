using System.Globalization;
using System.Runtime.InteropServices;
using Platform.FeatureBench.Cli;
using Platform.InferencePod.TestSupport;
using Platform.FeatureBench.Inputs;
using Platform.FeatureBench.Measurement;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Model;

namespace Platform.FeatureBench.Workloads;

/// <summary>
/// The same batch-1 tensor through gRPC (raw_input_contents), REST with the binary extension
/// and REST JSON, against a raw Run of the same model in this process: mlp, whose Run costs
/// microseconds (the protocols' own cost), and mobilenet_v2, whose input is a 600 KB tensor.
/// </summary>
internal static class ProtocolBench
{
    private const string BinaryName = "REST, binary tensor extension";

    public static async Task RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using (var mlp = new RawModel(Path.Combine(options.ModelsDirectory, "mlp.onnx"), options.Threads))
        {
            var random = new Random(7);
            var shapes = mlp.Metadata.Inputs.Select(i => BatchOf1(i)).ToArray();
            var inputs = shapes.Select(s => Enumerable.Range(0, (int)s.Aggregate(1L, (a, d) => a * d)).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
            await RunModelAsync(mlp, Path.Combine(options.ModelsDirectory, "mlp.onnx"), inputs, shapes, options, output, cancellationToken);
        }
        using (var classifier = new Classifier(options))
        {
            // A real preprocessed image: the tensor the classify endpoint would build from it.
            var tensor = classifier.Tensor(PhotoJpeg.Create(224, 224, seed: 1));
            await RunModelAsync(classifier.Model, classifier.ModelPath, [tensor], [classifier.Pipeline.Shape(1)], options, output, cancellationToken);
        }
    }

    private static async Task RunModelAsync(RawModel raw, string modelPath, float[][] inputs, long[][] shapes, BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var model = raw.Metadata;
        var requests = new TensorRequests(model, inputs, shapes);
        var settings = new Dictionary<string, string> { ["Model:IntraOpThreads"] = options.Threads.ToString(CultureInfo.InvariantCulture), ["Queue:Capacity"] = "256" };
        await using var pod = await PodServer.StartAsync(modelPath, settings.ToDictionary(s => s.Key, string? (s) => s.Value), connections: options.Concurrency);

        var pinned = Pinned(inputs, shapes);
        var expected = Outputs(raw.Run(pinned));
        Check("gRPC", expected, GrpcOutputs(await pod.Grpc.ModelInferAsync(requests.Grpc, cancellationToken: cancellationToken)));
        Check("REST binary", expected, await TensorRequests.OutputsAsync(pod.Client, requests.Binary(), model, cancellationToken));
        Check("REST JSON", expected, await TensorRequests.OutputsAsync(pod.Client, requests.Json(), model, cancellationToken));
        Check("REST JSON as Python writes it", expected, await TensorRequests.OutputsAsync(pod.Client, requests.JsonPython(), model, cancellationToken));
        var inputBytes = inputs.Sum(i => i.Length * sizeof(float));
        Console.Error.WriteLine($"[protocols] {model.Name}: input {inputBytes:#,0} bytes; REST binary body {requests.BinaryBytes:#,0} bytes, JSON body {requests.JsonBytes:#,0} bytes ({requests.JsonPythonBytes:#,0} as Python writes it); gRPC, binary and JSON answers match the raw Run");

        var rawName = $"raw Run ({model.Name})";
        var variants = new List<Variant>
        {
            Variant.InProcess(rawName, () => Release(raw.Run(pinned))),
            new("gRPC ModelInfer, raw_input_contents", async ct => { await pod.Grpc.ModelInferAsync(requests.Grpc, cancellationToken: ct); }),
            new(BinaryName, async ct =>
            {
                using var request = requests.Binary();
                await TensorRequests.SendAsync(pod.Client, request, ct);
            }),
            // JSON against the binary extension: what the text form costs on top of the same request.
            new("REST, JSON", async ct =>
            {
                using var request = requests.Json();
                await TensorRequests.SendAsync(pod.Client, request, ct);
            }, Reference: BinaryName),
            new("REST, JSON as Python writes float32 (up to 17 digits)", async ct =>
            {
                using var request = requests.JsonPython();
                await TensorRequests.SendAsync(pod.Client, request, ct);
            }, Reference: BinaryName),
        };
        var run = await InterleavedRun.RunAsync($"protocols: {model.Name}, batch 1, {inputBytes / 1024.0:#,0.#} KB input", variants, options, cancellationToken);
        Report.Write(output, run, rawName);
    }

    /// <summary>The inputs as pinned byte arrays for <see cref="RawModel.Run"/>.</summary>
    public static (byte[] Pinned, int Length, long[] Shape)[] Pinned(float[][] inputs, long[][] shapes) => inputs.Select((input, i) =>
    {
        var bytes = MemoryMarshal.AsBytes(input.AsSpan());
        var array = GC.AllocateUninitializedArray<byte>(bytes.Length, pinned: true);
        bytes.CopyTo(array);
        return (array, array.Length, shapes[i]);
    }).ToArray();

    private static long[] BatchOf1(TensorSpec input)
    {
        var shape = (long[])input.Shape.Clone();
        if (shape.Length > 0 && shape[0] < 0) shape[0] = 1;
        if (shape.Any(d => d < 0)) throw new InvalidOperationException($"input '{input.Name}' has a dynamic axis besides the batch axis");
        return shape;
    }

    public static float[][] Outputs(InferencePod.Inference.OutputTensor[] outputs)
    {
        var result = outputs.Select(o => MemoryMarshal.Cast<byte, float>(o.Data).ToArray()).ToArray();
        Release(outputs);
        return result;
    }

    public static void Release(InferencePod.Inference.OutputTensor[] outputs)
    {
        foreach (var output in outputs) output.Release();
    }

    public static float[][] GrpcOutputs(InferencePod.Grpc.V2.ModelInferResponse response) => response.RawOutputContents.Count > 0
        ? response.RawOutputContents.Select(c => MemoryMarshal.Cast<byte, float>(c.Span).ToArray()).ToArray()
        : response.Outputs.Select(o => o.Contents.Fp32Contents.ToArray()).ToArray();

    /// <summary>Throws unless every output matches the raw Run's within float rounding.</summary>
    public static void Check(string what, float[][] expected, float[][] actual)
    {
        if (actual.Length != expected.Length) throw new InvalidOperationException($"{what}: {actual.Length} outputs, the raw Run has {expected.Length}");
        for (var o = 0; o < expected.Length; o++)
        {
            if (actual[o].Length != expected[o].Length) throw new InvalidOperationException($"{what}: output {o} has {actual[o].Length} values, the raw Run's {expected[o].Length}");
            var scale = expected[o].Select(Math.Abs).DefaultIfEmpty(0).Max();
            for (var i = 0; i < expected[o].Length; i++)
            {
                if (Math.Abs(actual[o][i] - expected[o][i]) > 1e-4 * scale + 1e-6)
                    throw new InvalidOperationException($"{what}: output {o}[{i}] is {actual[o][i]}, the raw Run's {expected[o][i]}");
            }
        }
    }
}
