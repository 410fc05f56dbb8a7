using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class SpecValidatorTests
{
    [Fact]
    public void Valid_services_have_no_errors()
    {
        Assert.Empty(SpecValidator.Validate(TestServices.Pvc()));
        Assert.Empty(SpecValidator.Validate(TestServices.Image()));
        Assert.Empty(SpecValidator.Validate(TestServices.Pvc(s =>
        {
            s.Model.Source.Pvc!.SubPath = "vision/v2";
            s.Resources.Gpu = 1;
            s.Resources.Cpu = new ResourceQuantity("500m");
            s.Serving.ExecutionProvider = ExecutionProvider.Cuda;
            s.Serving.WarmupBatchSizes = [1, 8];
            s.Autoscaling = new AutoscalingSpec { Mode = AutoscalingMode.External, MinReplicas = 0, MaxReplicas = 3 };
            s.Model.Path = "./v1/model..onnx";
        })));
    }

    public static TheoryData<string, Action<InferenceService>, string> InvalidSpecs() => new()
    {
        // What the schema cannot say (or says only through CEL, which older objects may have missed).
        { "path traversal", s => s.Spec.Model.Path = "../secrets/model.onnx", "spec.model.path: '../secrets/model.onnx' must stay inside the volume" },
        { "inner traversal", s => s.Spec.Model.Path = "a/../../b.onnx", "spec.model.path: 'a/../../b.onnx' must stay inside the volume" },
        { "absolute path", s => s.Spec.Model.Path = "/etc/model.onnx", "spec.model.path: '/etc/model.onnx' must be relative" },
        { "empty segment", s => s.Spec.Model.Path = "a//b.onnx", "spec.model.path: 'a//b.onnx' may only hold" },
        { "trailing newline", s => s.Spec.Model.Path = "model.onnx\n", "spec.model.path:" },
        { "no path", s => s.Spec.Model.Path = "", "spec.model.path: required" },
        { "subPath traversal", s => s.Spec.Model.Source.Pvc!.SubPath = "..", "spec.model.source.pvc.subPath: '..' must stay inside the volume" },
        { "both sources", s => s.Spec.Model.Source.Image = new ImageModelSource { Reference = "r/m:1" }, "spec.model.source: exactly one of pvc or image" },
        { "no source", s => s.Spec.Model.Source.Pvc = null, "spec.model.source: exactly one of pvc or image" },
        { "bad claim", s => s.Spec.Model.Source.Pvc!.ClaimName = "Models!", "spec.model.source.pvc.claimName: 'Models!'" },
        { "bad model name", s => s.Spec.Model.Name = "ResNet", "spec.model.name: 'ResNet' must be a DNS label" },
        { "bad resource name", s => s.Metadata.Name = "a.b", "metadata.name: 'a.b' must be a DNS-1035 label" },
        { "long resource name", s => s.Metadata.Name = new string('a', 64), "metadata.name:" },
        { "no namespace", s => s.Metadata.NamespaceProperty = null, "metadata.namespace: required" },
        { "cuda without gpu", s => s.Spec.Serving.ExecutionProvider = ExecutionProvider.Cuda, "spec.serving.executionProvider: 'cuda' needs spec.resources.gpu of at least 1" },
        { "warm-up above max batch", s => s.Spec.Serving.WarmupBatchSizes = [1, 16], "spec.serving.warmupBatchSizes[1]: 16 must be between 1 and maxBatchSize (8)" },
        { "min above max", s => s.Spec.Autoscaling.MinReplicas = 5, "spec.autoscaling.minReplicas: 5 must be less than or equal to maxReplicas (4)" },
        { "builtin from zero", s => s.Spec.Autoscaling.MinReplicas = 0, "spec.autoscaling.minReplicas: 0 needs mode External or Off" },
        { "image with spaces", s => s.Spec.Image = "my image", "spec.image: 'my image'" },
        { "zero cpu", s => s.Spec.Resources.Cpu = new ResourceQuantity("0"), "spec.resources.cpu: '0' must be greater than zero" },
        { "duplicate env", s => s.Spec.Env = [new V1EnvVar { Name = "A", Value = "1" }, new V1EnvVar { Name = "A", Value = "2" }], "spec.env[1].name: 'A' is listed more than once" },
        { "nameless env", s => s.Spec.Env = [new V1EnvVar { Value = "1" }], "spec.env[0].name: required" },
        // Bounds the schema also enforces.
        { "batch size", s => s.Spec.Serving.MaxBatchSize = 0, "spec.serving.maxBatchSize: 0 must be between 1 and 1024" },
        { "tolerance", s => s.Spec.Autoscaling.Tolerance = double.NaN, "spec.autoscaling.tolerance: NaN must be between 0 and 1" },
        { "step percent", s => s.Spec.Autoscaling.ScaleUp.MaxStepPercent = 0, "spec.autoscaling.scaleUp.maxStepPercent: 0 must be between 1 and 1000" },
        { "window", s => s.Spec.Autoscaling.ScaleDown.StabilizationWindowSeconds = -1, "spec.autoscaling.scaleDown.stabilizationWindowSeconds: -1 must be between 0 and 3600" },
        { "replicas", s => s.Spec.Replicas = -2, "spec.replicas: -2 must not be negative" },
        // Feature sections: the pod's bounds, and what only the pod's parsers know.
        { "limits grammar", s => s.Spec.RateLimits = new RateLimitsSpec { Limits = "5 per second" }, "spec.rateLimits.limits: '5 per second' must be comma-separated quotas" },
        { "limits empty", s => s.Spec.RateLimits = new RateLimitsSpec { Limits = "" }, "spec.rateLimits.limits: '' must be" },
        { "limits window too long", s => s.Spec.RateLimits = new RateLimitsSpec { Limits = "5/8d" }, "spec.rateLimits.limits: entry '5/8d' must have a window between 1 second and 7 days" },
        { "limits same window twice", s => s.Spec.RateLimits = new RateLimitsSpec { Limits = "5/min, 10/60s" }, "spec.rateLimits.limits: has two quotas over 60s" },
        { "limits zero permits", s => s.Spec.RateLimits = new RateLimitsSpec { Limits = "0/s" }, "spec.rateLimits.limits: entry '0/s' must allow between 1 and 1000000 requests" },
        { "api key header", s => s.Spec.RateLimits = new RateLimitsSpec { Limits = "1/s", ApiKeyHeader = "X Key" }, "spec.rateLimits.apiKeyHeader: 'X Key' must be an HTTP header name" },
        { "forwarded header", s => s.Spec.RateLimits = new RateLimitsSpec { Limits = "1/s", ForwardedHeader = "X:Fwd" }, "spec.rateLimits.forwardedHeader: 'X:Fwd'" },
        { "max clients", s => s.Spec.RateLimits = new RateLimitsSpec { Limits = "1/s", MaxClients = 0 }, "spec.rateLimits.maxClients: 0 must be between 1 and 1000000" },
        { "cache ttl", s => s.Spec.Cache = new CacheSpec { TtlSeconds = 0 }, "spec.cache.ttlSeconds: 0 must be between 1 and 2592000" },
        { "cache size", s => s.Spec.Cache = new CacheSpec { MaxBytes = new ResourceQuantity("2Ti") }, "spec.cache.maxBytes: '2Ti' must be between 0 bytes and 1Ti" },
        { "negative cache size", s => s.Spec.Cache = new CacheSpec { MaxBytes = new ResourceQuantity("-1Mi") }, "spec.cache.maxBytes: '-1048576' must be between 0 bytes and 1Ti" },
        { "cache entry size", s => s.Spec.Cache = new CacheSpec { MaxEntryBytes = new ResourceQuantity("1Gi") }, "spec.cache.maxEntryBytes: '1Gi' must be between 1 bytes and 512Mi" },
        { "secret name", s => s.Spec.Cache = new CacheSpec { Redis = new RedisSpec { SecretRef = new SecretKeyReference { Name = "Redis_Secret", Key = "url" } } }, "spec.cache.redis.secretRef.name: 'Redis_Secret' must be a Secret name" },
        { "secret key", s => s.Spec.Jobs = new JobsSpec { Redis = new RedisSpec { SecretRef = new SecretKeyReference { Name = "redis", Key = "" } } }, "spec.jobs.redis.secretRef.key: '' must be a Secret key" },
        { "redis timeout", s => s.Spec.Jobs = new JobsSpec { Redis = new RedisSpec { SecretRef = new SecretKeyReference { Name = "redis", Key = "url" }, TimeoutMs = 0 } }, "spec.jobs.redis.timeoutMs: 0 must be between 1 and 60000" },
        { "max jobs", s => s.Spec.Jobs = new JobsSpec { MaxJobs = 0 }, "spec.jobs.maxJobs: 0 must be between 1 and 1000000" },
        { "job result size", s => s.Spec.Jobs = new JobsSpec { MaxResultBytes = new ResourceQuantity("1000") }, "spec.jobs.maxResultBytes: '1k' must be between 1024 bytes and 1Gi" },
        { "preprocessing alone", s => s.Spec.Preprocessing = new PreprocessingSpec(), "spec.postprocessing: required with spec.preprocessing" },
        { "postprocessing alone", s => s.Spec.Postprocessing = new PostprocessingSpec(), "spec.preprocessing: required with spec.postprocessing" },
        { "two mean values", s => Classify(s, p => p.Mean = [0.5, 0.5]), "spec.preprocessing.mean: must list 3 values, one per channel (has 2)" },
        { "zero std", s => Classify(s, p => p.Std = [1, 0, 1]), "spec.preprocessing.std[1]: 0 must be greater than 0" },
        { "infinite mean", s => Classify(s, p => p.Mean = [0, double.PositiveInfinity, 0]), "spec.preprocessing.mean[1]: Infinity must be between" },
        { "zero scale", s => Classify(s, p => p.Scale = 0), "spec.preprocessing.scale: 0 must be greater than 0" },
        { "crop height", s => Classify(s, p => p.Height = 20000), "spec.preprocessing.height: 20000 must be between 1 and 16384" },
        { "unknown layout", s => Classify(s, p => p.Layout = (ImageLayout)7), "spec.preprocessing.layout: '7' must be NCHW or NHWC" },
        { "max pixels", s => Classify(s, p => p.MaxPixels = 0), "spec.preprocessing.maxPixels: 0 must be between 1 and 1073741824" },
        { "top k", s => Classify(s, post: p => p.TopK = 0), "spec.postprocessing.topK: 0 must be between 1 and 1000000" },
        { "labels traversal", s => Classify(s, post: p => p.LabelsPath = "../../etc/passwd"), "spec.postprocessing.labelsPath: '../../etc/passwd' must stay inside the volume" },
        { "absolute labels", s => Classify(s, post: p => p.LabelsPath = "/etc/passwd"), "spec.postprocessing.labelsPath: '/etc/passwd' must be relative" },
        { "gpu guard without gpu", s => s.Spec.Gpu = new GpuSpec { MinFreeMemory = new ResourceQuantity("1Gi") }, "spec.gpu.minFreeMemory: needs spec.resources.gpu of at least 1" },
        { "negative gpu guard", s => { s.Spec.Resources.Gpu = 1; s.Spec.Gpu = new GpuSpec { MinFreeMemory = new ResourceQuantity("-1") }; }, "spec.gpu.minFreeMemory: '-1' must be a number of bytes" },
    };

    private static void Classify(InferenceService service, Action<PreprocessingSpec>? pre = null, Action<PostprocessingSpec>? post = null)
    {
        service.Spec.Preprocessing = new PreprocessingSpec();
        service.Spec.Postprocessing = new PostprocessingSpec();
        pre?.Invoke(service.Spec.Preprocessing);
        post?.Invoke(service.Spec.Postprocessing);
    }

    [Fact]
    public void A_service_using_every_feature_section_is_valid()
    {
        var service = TestServices.Pvc(s =>
        {
            s.Resources.Gpu = 1;
            s.RateLimits = new RateLimitsSpec { Limits = "2/s, 5/min, 100/h, 50/10s, 7/2d", ApiKeyHeader = "", ForwardedHeader = "X-Forwarded-For", MaxClients = 1_000_000 };
            s.Cache = new CacheSpec { TtlSeconds = 2592000, MaxBytes = new ResourceQuantity("1Ti"), MaxEntryBytes = new ResourceQuantity("512Mi"), Redis = new RedisSpec { SecretRef = new SecretKeyReference { Name = "redis.cache", Key = "connection_string" }, TimeoutMs = 60000 } };
            s.Jobs = new JobsSpec { Enabled = false, MaxJobs = 1, ResultTtlSeconds = 604800, QueueTimeoutSeconds = 86400, MaxResultBytes = new ResourceQuantity("1Ki") };
            s.Preprocessing = new PreprocessingSpec { Height = 224, Width = 224, Scale = 1e6, Mean = [-1e6, 0, 1e6], Std = [1e-9, 1, 1e6], MaxPixels = 1L << 30 };
            s.Postprocessing = new PostprocessingSpec { TopK = 1_000_000, LabelsPath = "resnet50/labels.txt" };
            s.Gpu = new GpuSpec { MinFreeMemory = new ResourceQuantity("0") };
        });

        Assert.Empty(SpecValidator.Validate(service));
    }

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void An_invalid_field_is_reported_with_its_path(string because, Action<InferenceService> breakIt, string expected)
    {
        var service = TestServices.Pvc();
        breakIt(service);

        var errors = SpecValidator.Validate(service);

        Assert.True(errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)),
            $"{because}: expected an error starting with \"{expected}\", got: {string.Join(" | ", errors)}");
    }

    [Fact]
    public void All_errors_are_listed_not_just_the_first()
    {
        var service = TestServices.Pvc(s =>
        {
            s.Model.Path = "../x.onnx";
            s.Serving.ExecutionProvider = ExecutionProvider.Cuda;
            s.Serving.WarmupBatchSizes = [100, 200];
            s.Autoscaling.MinReplicas = 9;
        });

        var errors = SpecValidator.Validate(service);

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("spec.model.path", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.serving.executionProvider", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.serving.warmupBatchSizes[0]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.serving.warmupBatchSizes[1]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.autoscaling.minReplicas", StringComparison.Ordinal));
    }
}
