using Platform.FeatureBench.Cli;
using Platform.InferencePod.TestSupport;
using Platform.FeatureBench.Measurement;

namespace Platform.FeatureBench.Workloads;

/// <summary>
/// JPEG in, top-5 out: the pod's POST /classify (cache off) against the same decode,
/// preprocessing, Run and ranking in this process, image by image.
/// </summary>
internal static class ClassifyBench
{
    public static async Task RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var classifier = new Classifier(options);
        var images = Classifier.Images(options);
        await using var pod = await PodServer.StartAsync(classifier.ModelPath, classifier.PodSettings(options).ToDictionary(s => s.Key, string? (s) => s.Value), connections: options.Concurrency);
        var model = classifier.Model.Metadata.Name;

        var variants = new List<Variant>();
        foreach (var (name, bytes) in images)
        {
            // One check per image before timing: the pod ranks the same classes as the in-process pipeline.
            var expected = classifier.Classify(bytes).Select(p => p.Index).ToArray();
            var served = await Classifier.ClassifyOverHttpAsync(pod.Client, model, bytes, null, cancellationToken);
            if (!served.SequenceEqual(expected))
                throw new InvalidOperationException($"{name}: the pod's top 5 [{string.Join(',', served)}] differ from the in-process top 5 [{string.Join(',', expected)}]");
            Console.Error.WriteLine($"[classify] {name}: top 5 classes [{string.Join(", ", expected)}] from the pod and in process alike");

            var local = $"in process: decode + preprocess + Run + top-5, {name}";
            variants.Add(Variant.InProcess(local, () => classifier.Classify(bytes), reference: local));
            variants.Add(new Variant($"pod: POST /classify, {name}", async ct =>
            {
                using var request = Classifier.ClassifyRequest(model, bytes, null);
                await Inputs.TensorRequests.SendAsync(pod.Client, request, ct);
            }, Reference: local));
        }

        var run = await InterleavedRun.RunAsync("classify: mobilenet_v2, JPEG in, top-5 out", variants, options, cancellationToken);
        Report.Write(output, run, variants[0].Name);
    }
}
