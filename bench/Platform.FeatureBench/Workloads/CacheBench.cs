using System.Globalization;
using Platform.Contracts;
using Platform.FeatureBench.Cli;
using Platform.InferencePod.TestSupport;
using Platform.FeatureBench.Inputs;
using Platform.FeatureBench.Measurement;

namespace Platform.FeatureBench.Workloads;

/// <summary>
/// The response cache on mobilenet_v2: the same request repeated (a hit after the first),
/// against the same request with <c>Cache-Control: no-cache</c> (looked up never, computed and
/// stored again: a miss) and against a raw Run; for a 600 KB tensor over REST binary and for a
/// JPEG through /classify (whose key is the preprocessed tensor, so a hit still decodes); and
/// on mlp, whose Run is so cheap that the cache can only add to it.
/// First with the in-process cache, then with Redis when redis-server is installed.
/// </summary>
internal static class CacheBench
{
    public static async Task RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var classifier = new Classifier(options);
        await RunStoreAsync(classifier, "in-process LRU", null, options, output, cancellationToken);
        await RunMlpAsync("in-process LRU", null, options, output, cancellationToken);

        var redisPath = options.Redis == "off" ? null : RedisServer.FindExecutable();
        if (redisPath is null)
        {
            if (options.Redis == "on") throw new UsageException("--redis on: redis-server is not installed (apt-get install -y redis-server)");
            var why = options.Redis == "off" ? "--redis off" : "redis-server is not installed";
            output.WriteLine();
            output.WriteLine($"(Redis leg skipped: {why}.)");
            return;
        }
        await using var redis = await RedisServer.StartAsync(redisPath);
        await RunStoreAsync(classifier, "Redis on loopback", redis.ConnectionString, options, output, cancellationToken);
        await RunMlpAsync("Redis on loopback", redis.ConnectionString, options, output, cancellationToken);
    }

    /// <summary>mlp, whose Run costs microseconds: what a hit and a miss cost beyond it.</summary>
    private static async Task RunMlpAsync(string store, string? redis, BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var path = Path.Combine(options.ModelsDirectory, "mlp.onnx");
        using var raw = new RawModel(path, options.Threads);
        var model = raw.Metadata;
        var shapes = model.Inputs.Select(i => i.Shape.Select((d, axis) => d < 0 && axis == 0 ? 1 : d).ToArray()).ToArray();
        var random = new Random(7);
        var inputs = shapes.Select(s => Enumerable.Range(0, (int)s.Aggregate(1L, (a, d) => a * d)).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
        var requests = new TensorRequests(model, inputs, shapes);
        var pinned = ProtocolBench.Pinned(inputs, shapes);
        var settings = new Dictionary<string, string>
        {
            ["Model:IntraOpThreads"] = options.Threads.ToString(CultureInfo.InvariantCulture),
            ["Queue:Capacity"] = "256",
            ["Cache:Enabled"] = "true",
        };
        if (redis is not null) settings["Cache:Redis"] = redis;
        await using var pod = await PodServer.StartAsync(path, settings.ToDictionary(s => s.Key, string? (s) => s.Value), connections: options.Concurrency);
        var expected = ProtocolBench.Outputs(raw.Run(pinned));
        using (var first = requests.Binary()) await TensorRequests.SendAsync(pod.Client, first, cancellationToken);
        ProtocolBench.Check("mlp REST binary cache hit", expected, await TensorRequests.OutputsAsync(pod.Client, requests.Binary(), model, cancellationToken));
        var before = await CacheCountsAsync(pod.Client, model.Name);

        var rawName = $"raw Run ({model.Name})";
        var variants = new List<Variant>
        {
            Variant.InProcess(rawName, () => ProtocolBench.Release(raw.Run(pinned))),
            new($"REST binary {requests.BinaryBytes:#,0} B body, cache hit", async ct =>
            {
                using var request = requests.Binary();
                await TensorRequests.SendAsync(pod.Client, request, ct);
            }),
            new($"REST binary {requests.BinaryBytes:#,0} B body, miss (no-cache)", async ct =>
            {
                using var request = requests.Binary("no-cache");
                await TensorRequests.SendAsync(pod.Client, request, ct);
            }),
        };
        var run = await InterleavedRun.RunAsync($"cache: {model.Name}, {store}", variants, options, cancellationToken);
        Report.Write(output, run, rawName);
        await WriteCountsAsync(output, pod.Client, model.Name, before);
    }

    private static async Task RunStoreAsync(Classifier classifier, string store, string? redis, BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var settings = classifier.PodSettings(options);
        settings["Cache:Enabled"] = "true";
        if (redis is not null) settings["Cache:Redis"] = redis;
        await using var pod = await PodServer.StartAsync(classifier.ModelPath, settings.ToDictionary(s => s.Key, string? (s) => s.Value), connections: options.Concurrency);
        var model = classifier.Model.Metadata;

        var jpeg = PhotoJpeg.Create(224, 224, seed: 1);
        var tensor = classifier.Tensor(jpeg);
        long[][] shapes = [classifier.Pipeline.Shape(1)];
        var requests = new TensorRequests(model, [tensor], shapes);
        var pinned = ProtocolBench.Pinned([tensor], shapes);

        // Fill the cache, then check that a hit answers what the model computes.
        var expected = ProtocolBench.Outputs(classifier.Model.Run(pinned));
        using (var first = requests.Binary()) await TensorRequests.SendAsync(pod.Client, first, cancellationToken);
        ProtocolBench.Check("REST binary cache hit", expected, await TensorRequests.OutputsAsync(pod.Client, requests.Binary(), model, cancellationToken));
        var top5 = classifier.Classify(jpeg).Select(p => p.Index).ToArray();
        await Classifier.ClassifyOverHttpAsync(pod.Client, model.Name, jpeg, null, cancellationToken);
        var cached = await Classifier.ClassifyOverHttpAsync(pod.Client, model.Name, jpeg, null, cancellationToken);
        if (!cached.SequenceEqual(top5)) throw new InvalidOperationException($"classify cache hit: top 5 [{string.Join(',', cached)}], in process [{string.Join(',', top5)}]");
        var before = await CacheCountsAsync(pod.Client, model.Name);

        var rawName = "raw Run (mobilenet_v2)";
        var localClassify = "in process: decode + preprocess + Run + top-5, 224x224 JPEG";
        var variants = new List<Variant>
        {
            Variant.InProcess(rawName, () => ProtocolBench.Release(classifier.Model.Run(pinned))),
            new("REST binary 600 KB tensor, cache hit", async ct =>
            {
                using var request = requests.Binary();
                await TensorRequests.SendAsync(pod.Client, request, ct);
            }),
            new("REST binary 600 KB tensor, miss (no-cache)", async ct =>
            {
                using var request = requests.Binary("no-cache");
                await TensorRequests.SendAsync(pod.Client, request, ct);
            }),
            Variant.InProcess(localClassify, () => classifier.Classify(jpeg), reference: localClassify),
            new("POST /classify 224x224 JPEG, cache hit", async ct =>
            {
                using var request = Classifier.ClassifyRequest(model.Name, jpeg, null);
                await TensorRequests.SendAsync(pod.Client, request, ct);
            }, Reference: localClassify),
        };
        var run = await InterleavedRun.RunAsync($"cache: mobilenet_v2, {store}", variants, options, cancellationToken);
        Report.Write(output, run, rawName);

        await WriteCountsAsync(output, pod.Client, model.Name, before);
    }

    /// <summary>The cache's lookups by result since <paramref name="before"/>: evidence that hits were hits.</summary>
    private static async Task WriteCountsAsync(TextWriter output, HttpClient client, string model, Dictionary<string, double> before)
    {
        var after = await CacheCountsAsync(client, model);
        output.WriteLine();
        output.WriteLine("Cache lookups during the run (the pod's " + PodMetrics.CacheRequests + "): " +
            string.Join(", ", after.Select(c => $"{c.Key} {c.Value - before.GetValueOrDefault(c.Key):#,0}")) + ".");
    }

    /// <summary>The pod's cache counters by result, from /metrics.</summary>
    private static async Task<Dictionary<string, double>> CacheCountsAsync(HttpClient client, string model)
    {
        var text = await client.GetStringAsync(PodMetrics.Path);
        var counts = new Dictionary<string, double>();
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(PodMetrics.CacheRequests + "{", StringComparison.Ordinal) || !line.Contains($"\"{model}\"", StringComparison.Ordinal)) continue;
            var result = line.Split(PodMetrics.ResultLabel + "=\"")[1].Split('"')[0];
            counts[result] = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return counts;
    }
}
