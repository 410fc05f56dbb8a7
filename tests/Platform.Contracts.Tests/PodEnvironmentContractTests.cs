using k8s.Models;
using Microsoft.Extensions.Configuration;
using Platform.Contracts;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Model;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;

namespace Platform.Contracts.Tests;

/// <summary>The environment the operator gives a pod is the configuration the pod reads, value for value.</summary>
public sealed class PodEnvironmentContractTests
{
    private static readonly string ModelFile = Path.Combine(AppContext.BaseDirectory, "models", "mlp.onnx");

    [Fact]
    public void Every_serving_setting_the_operator_sets_binds_to_the_pod_option_it_means()
    {
        var service = new InferenceService
        {
            Metadata = new V1ObjectMeta { Name = "classifier", NamespaceProperty = "ml", Uid = "u-1", Generation = 1 },
            Spec = new InferenceServiceSpec
            {
                Model = new ModelSpec { Name = "mlp", Version = "4", Path = "mlp.onnx", Source = new ModelSource { Pvc = new PvcModelSource { ClaimName = "models" } } },
                Resources = new ResourcesSpec { Cpu = "4" },
                Serving = new ServingSpec
                {
                    MaxBatchSize = 16, MaxQueueDelayMs = 7, QueueCapacity = 300, TimeoutMs = 1500, Instances = 2,
                    WarmupBatchSizes = [1, 4, 16], DrainTimeoutSeconds = 45, PriorityLevels = 3,
                },
            },
        };
        var env = PodEnvironment.Build(service, new ReconcileSettings { DefaultImage = "pod:1" });

        // The pod's configuration sees environment variables with "__" as ":" (the standard .NET provider).
        var settings = env.Where(e => e.Name.Contains("__", StringComparison.Ordinal))
            .ToDictionary(e => e.Name.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);
        Assert.Equal("/models/mlp.onnx", settings[PodSettings.ModelPath]);
        settings[PodSettings.ModelPath] = ModelFile; // the mount does not exist here; everything else is as rendered
        var options = PodOptions.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        Assert.Equal("mlp", options.Model.ResolvedName);
        Assert.Equal("4", options.Model.Version);
        Assert.Equal(2, options.Model.Instances);
        // Threads are the pod's: it shares the CPUs of its quota (here 4) among the instances.
        Assert.Equal(0, options.Model.IntraOpThreads);
        var (candidates, source) = ThreadLayouts.Candidates(options.Model, allowedCpus: 4);
        Assert.Equal(ThreadLayoutSource.Configured, source);
        Assert.Equal([new ThreadLayout(2, 2)], candidates);
        Assert.Equal(PodSettings.ExecutionProviders.Cpu, options.Model.ExecutionProvider);
        Assert.Equal(16, options.Batching.MaxBatchSize);
        Assert.Equal(7, options.Batching.MaxQueueDelayMs);
        Assert.Equal(300, options.Queue.Capacity);
        Assert.Equal(1500, options.Queue.DefaultTimeoutMs);
        Assert.Equal(3, options.Queue.PriorityLevels);
        Assert.Equal([1, 4, 16], options.Warmup.ResolveBatchSizes(options.Batching.MaxBatchSize));
        Assert.Equal(45, options.Server.DrainTimeoutSeconds);
        Assert.Equal(PodSettings.DefaultHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            env.Single(e => e.Name == PodSettings.HttpPortsEnvVar).Value);
    }

    [Fact]
    public void Without_instances_in_the_spec_the_pod_measures_its_thread_layouts()
    {
        var service = ClassifierWithEveryFeature(s =>
        {
            s.Resources = new ResourcesSpec { Cpu = "4" };
            s.Gpu = null;
            s.Serving.Instances = null;
        });

        var (rendered, options, refusal) = PodReads(PodEnvironment.Build(service, new ReconcileSettings { DefaultImage = "pod:1" }));

        Assert.True(options is not null, refusal);
        Assert.DoesNotContain(PodSettings.ModelInstances, rendered.Keys);
        Assert.DoesNotContain(PodSettings.ModelIntraOpThreads, rendered.Keys);
        var (candidates, source) = ThreadLayouts.Candidates(options.Model, allowedCpus: 4);
        Assert.Equal(ThreadLayoutSource.Measured, source);
        Assert.Equal([new ThreadLayout(1, 4), new ThreadLayout(2, 2), new ThreadLayout(4, 1)], candidates);
    }

    private const string RedisConnection = "redis.cache.svc:6379,password=s3cret,abortConnect=false";

    private static InferenceService ClassifierWithEveryFeature(Action<InferenceServiceSpec>? change = null)
    {
        var service = new InferenceService
        {
            Metadata = new V1ObjectMeta { Name = "classifier", NamespaceProperty = "ml", Uid = "u-2", Generation = 1 },
            Spec = new InferenceServiceSpec
            {
                Model = new ModelSpec { Path = "vision/mlp.onnx", Source = new ModelSource { Pvc = new PvcModelSource { ClaimName = "models" } } },
                Resources = new ResourcesSpec { Gpu = 1 },
                RateLimits = new RateLimitsSpec { Limits = "2/s, 5/min, 100/h", ApiKeyHeader = "X-Client-Key", ForwardedHeader = "X-Forwarded-For", MaxClients = 2000 },
                Cache = new CacheSpec
                {
                    TtlSeconds = 120, MaxBytes = new ResourceQuantity("256Mi"), MaxEntryBytes = new ResourceQuantity("2Mi"),
                    Redis = new RedisSpec { SecretRef = new SecretKeyReference { Name = "redis", Key = "connection" }, TimeoutMs = 80 },
                },
                Jobs = new JobsSpec
                {
                    MaxJobs = 300, MaxRows = 256, ResultTtlSeconds = 900, QueueTimeoutSeconds = 45, MaxResultBytes = new ResourceQuantity("4Mi"),
                    Redis = new RedisSpec { SecretRef = new SecretKeyReference { Name = "redis", Key = "connection" }, TimeoutMs = 90 },
                },
                Preprocessing = new PreprocessingSpec
                {
                    Input = "pixels", ResizeShorterSide = 256, Height = 224, Width = 200, Layout = ImageLayout.Nhwc, ChannelOrder = ChannelOrder.Bgr,
                    Scale = 1.0 / 255, Mean = [0.485, 0.456, 0.406], Std = [0.229, 0.224, 0.225], DataType = ImageDataType.Fp16, MaxPixels = 1 << 24,
                },
                Postprocessing = new PostprocessingSpec { Output = "logits", Softmax = true, TopK = 3, LabelsPath = "vision/labels.txt" },
                Gpu = new GpuSpec { MinFreeMemory = new ResourceQuantity("1536Mi") },
            },
        };
        change?.Invoke(service.Spec);
        return service;
    }

    /// <summary>
    /// The configuration a pod would read from the rendered environment: "__" read as ":", a
    /// secretKeyRef resolved as the kubelet would, and paths under the model mount pointed at
    /// real files here (the mount does not exist on this machine).
    /// </summary>
    private static (Dictionary<string, string?> Settings, PodOptions? Options, string? Refusal) PodReads(IList<V1EnvVar> env)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in env.Where(e => e.Name.Contains("__", StringComparison.Ordinal)))
        {
            var value = variable.ValueFrom?.SecretKeyRef is { } secret
                ? (secret.Name, secret.Key) == ("redis", "connection") ? RedisConnection : throw new InvalidOperationException($"no secret {secret.Name}/{secret.Key}")
                : variable.Value;
            settings[variable.Name.Replace("__", ":", StringComparison.Ordinal)] = value;
        }
        var rendered = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);
        settings[PodSettings.ModelPath] = ModelFile;
        if (settings.ContainsKey(PodSettings.PostprocessingLabelsPath))
        {
            settings[PodSettings.PostprocessingLabelsPath] = LabelsFile.Value;
        }
        try
        {
            return (rendered, PodOptions.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()), null);
        }
        catch (StartupException e)
        {
            return (rendered, null, e.Message);
        }
    }

    private static readonly Lazy<string> LabelsFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"labels-{Environment.ProcessId}.txt");
        File.WriteAllLines(path, ["zero", "one", "two"]);
        return path;
    });

    [Fact]
    public void Every_feature_section_reaches_the_pod_option_it_means_and_the_pod_accepts_it()
    {
        var service = ClassifierWithEveryFeature();
        Assert.Empty(SpecValidator.Validate(service));

        var (rendered, options, refusal) = PodReads(PodEnvironment.Build(service, new ReconcileSettings { DefaultImage = "pod:1" }));

        Assert.True(options is not null, refusal);
        Assert.Equal("/models/vision/labels.txt", rendered[PodSettings.PostprocessingLabelsPath]);
        Assert.Equal(PodSettings.DefaultGrpcPort, options.Server.GrpcPort);

        Assert.Equal("2/s, 5/min, 100/h", options.RateLimits.Limits);
        Assert.Equal(("X-Client-Key", "X-Forwarded-For", 2000), (options.RateLimits.ApiKeyHeader, options.RateLimits.ForwardedHeader, options.RateLimits.MaxClients));

        Assert.True(options.Cache.Enabled);
        Assert.Equal(120, options.Cache.TtlSeconds);
        Assert.Equal((256L << 20, 2L << 20), (options.Cache.MaxBytes, options.Cache.MaxEntryBytes));
        Assert.Equal((RedisConnection, 80), (options.Cache.Redis, options.Cache.RedisTimeoutMs));

        Assert.True(options.Jobs.Enabled);
        Assert.Equal((300, 256, 900.0, 45.0, 4L << 20), (options.Jobs.MaxJobs, options.Jobs.MaxRows, options.Jobs.ResultTtlSeconds, options.Jobs.QueueTimeoutSeconds, options.Jobs.MaxResultBytes));
        Assert.Equal((RedisConnection, 90), (options.Jobs.Redis, options.Jobs.RedisTimeoutMs));

        var pre = options.Preprocessing;
        Assert.True(pre.Enabled);
        Assert.Equal(("pixels", 256, 224, 200), (pre.Input, pre.ResizeShorterSide, pre.Height, pre.Width));
        Assert.Equal((PodSettings.ImageLayouts.Nhwc, PodSettings.ChannelOrders.Bgr, "FP16"), (pre.Layout, pre.ChannelOrder, pre.DataType));
        Assert.Equal(1.0 / 255, pre.Scale);
        Assert.True(PreprocessingOptions.TryParseTriple(pre.Mean, out var mean));
        Assert.Equal([0.485f, 0.456f, 0.406f], mean);
        Assert.True(PreprocessingOptions.TryParseTriple(pre.Std, out var std));
        Assert.Equal([0.229f, 0.224f, 0.225f], std);
        Assert.Equal(1L << 24, pre.MaxPixels);

        var post = options.Postprocessing;
        Assert.True(post.Enabled);
        Assert.Equal(("logits", true, 3), (post.Output, post.Softmax, post.TopK));

        Assert.Equal(1536L << 20, options.Gpu.MinFreeMemoryBytes);
    }

    [Fact]
    public void Sections_switched_off_reach_the_pod_as_off()
    {
        var service = ClassifierWithEveryFeature(s => { s.Cache!.Enabled = false; s.Jobs!.Enabled = false; });

        var (_, options, refusal) = PodReads(PodEnvironment.Build(service, new ReconcileSettings { DefaultImage = "pod:1" }));

        Assert.True(options is not null, refusal);
        Assert.False(options.Cache.Enabled);
        Assert.False(options.Jobs.Enabled);
    }

    /// <summary>The extremes the operator accepts are ones the pod accepts: the two sides' bounds agree.</summary>
    public static TheoryData<string, Action<InferenceServiceSpec>> Extremes() => new()
    {
        { "upper bounds", s =>
            {
                s.RateLimits = new RateLimitsSpec { Limits = "1000000/7d, 1/1s", ApiKeyHeader = new string('k', 256), ForwardedHeader = "", MaxClients = 1_000_000 };
                s.Cache = new CacheSpec { TtlSeconds = 2592000, MaxBytes = new ResourceQuantity("1Ti"), MaxEntryBytes = new ResourceQuantity("512Mi") };
                s.Jobs = new JobsSpec { MaxJobs = 1_000_000, MaxRows = 1_000_000, ResultTtlSeconds = 604800, QueueTimeoutSeconds = 86400, MaxResultBytes = new ResourceQuantity("1Gi"), Redis = new RedisSpec { SecretRef = new SecretKeyReference { Name = "redis", Key = "connection" }, TimeoutMs = 60000 } };
                s.Preprocessing = new PreprocessingSpec { ResizeShorterSide = 16384, Height = 16384, Width = 16384, Scale = 1e6, Mean = [1e6, 1e6, 1e6], Std = [1e6, 1e6, 1e6], MaxPixels = 1L << 30 };
                s.Postprocessing = new PostprocessingSpec { TopK = 1_000_000 };
            }
        },
        { "lower bounds", s =>
            {
                s.RateLimits = new RateLimitsSpec { Limits = "1/s", MaxClients = 1 };
                s.Cache = new CacheSpec { TtlSeconds = 1, MaxBytes = new ResourceQuantity("0"), MaxEntryBytes = new ResourceQuantity("1") };
                s.Jobs = new JobsSpec { MaxJobs = 1, MaxRows = 1, ResultTtlSeconds = 1, QueueTimeoutSeconds = 1, MaxResultBytes = new ResourceQuantity("1Ki"), Redis = new RedisSpec { SecretRef = new SecretKeyReference { Name = "redis", Key = "connection" }, TimeoutMs = 1 } };
                s.Preprocessing = new PreprocessingSpec { ResizeShorterSide = 1, Height = 1, Width = 1, Scale = 1e-9, Mean = [-1e6, -1e6, -1e6], Std = [1e-6, 1e-6, 1e-6], MaxPixels = 1 };
                s.Postprocessing = new PostprocessingSpec { TopK = 1 };
                s.Gpu = new GpuSpec { MinFreeMemory = new ResourceQuantity("0") };
            }
        },
    };

    [Theory]
    [MemberData(nameof(Extremes))]
    public void Values_at_the_operators_bounds_start_the_pod(string because, Action<InferenceServiceSpec> change)
    {
        var service = ClassifierWithEveryFeature(change);
        Assert.Empty(SpecValidator.Validate(service));

        var (_, options, refusal) = PodReads(PodEnvironment.Build(service, new ReconcileSettings { DefaultImage = "pod:1" }));

        Assert.True(options is not null, $"{because}: {refusal}");
    }

    /// <summary>A value beyond the bounds is refused by the operator before a pod is ever made, and would be by the pod too.</summary>
    public static TheoryData<string, Action<InferenceServiceSpec>, string> Refused() => new()
    {
        { "limits grammar", s => s.RateLimits!.Limits = "5/fortnight", PodSettings.RateLimitsLimits },
        { "same window twice", s => s.RateLimits!.Limits = "5/min, 10/60s", PodSettings.RateLimitsLimits },
        { "too many permits", s => s.RateLimits!.Limits = "1000001/s", PodSettings.RateLimitsLimits },
        { "header name", s => s.RateLimits!.ApiKeyHeader = "X Key", PodSettings.RateLimitsApiKeyHeader },
        { "max clients", s => s.RateLimits!.MaxClients = 1_000_001, PodSettings.RateLimitsMaxClients },
        { "cache ttl", s => s.Cache!.TtlSeconds = 2592001, PodSettings.CacheTtlSeconds },
        { "cache size", s => s.Cache!.MaxBytes = new ResourceQuantity("1025Gi"), PodSettings.CacheMaxBytes },
        { "cache entry", s => s.Cache!.MaxEntryBytes = new ResourceQuantity("0"), PodSettings.CacheMaxEntryBytes },
        { "redis timeout", s => s.Cache!.Redis!.TimeoutMs = 60001, PodSettings.CacheRedisTimeoutMs },
        { "max jobs", s => s.Jobs!.MaxJobs = 0, PodSettings.JobsMaxJobs },
        { "job rows", s => s.Jobs!.MaxRows = 0, PodSettings.JobsMaxRows },
        { "job result ttl", s => s.Jobs!.ResultTtlSeconds = 604801, PodSettings.JobsResultTtlSeconds },
        { "job queue timeout", s => s.Jobs!.QueueTimeoutSeconds = 0, PodSettings.JobsQueueTimeoutSeconds },
        { "job result size", s => s.Jobs!.MaxResultBytes = new ResourceQuantity("1023"), PodSettings.JobsMaxResultBytes },
        { "crop side", s => s.Preprocessing!.Height = 16385, PodSettings.PreprocessingHeight },
        { "resize side", s => s.Preprocessing!.ResizeShorterSide = 16385, PodSettings.PreprocessingResizeShorterSide },
        { "scale", s => s.Preprocessing!.Scale = 0, PodSettings.PreprocessingScale },
        { "two means", s => s.Preprocessing!.Mean = [0.5, 0.5], PodSettings.PreprocessingMean },
        { "zero std", s => s.Preprocessing!.Std = [0.2, 0, 0.2], PodSettings.PreprocessingStd },
        { "max pixels", s => s.Preprocessing!.MaxPixels = (1L << 30) + 1, PodSettings.PreprocessingMaxPixels },
        { "top k", s => s.Postprocessing!.TopK = 0, PodSettings.PostprocessingTopK },
        { "classify half", s => s.Postprocessing = null, PodSettings.PreprocessingEnabled },
        { "gpu guard", s => s.Gpu!.MinFreeMemory = new ResourceQuantity("-1Mi"), PodSettings.GpuMinFreeMemoryBytes },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_value_out_of_bounds_is_refused_by_the_operator_and_by_the_pod(string because, Action<InferenceServiceSpec> breakIt, string podKey)
    {
        var service = ClassifierWithEveryFeature(breakIt);

        Assert.True(SpecValidator.Validate(service).Count > 0, $"{because}: the operator accepted it");
        var (_, options, refusal) = PodReads(PodEnvironment.Build(service, new ReconcileSettings { DefaultImage = "pod:1" }));
        Assert.True(options is null, $"{because}: the pod accepted it");
        Assert.Contains(podKey, refusal, StringComparison.Ordinal);
    }
}
