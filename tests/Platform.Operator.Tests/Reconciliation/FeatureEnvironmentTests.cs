using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

/// <summary>The optional feature sections of the spec as pod settings: what is set, and only that.</summary>
public sealed class FeatureEnvironmentTests
{
    public static TheoryData<string, Action<InferenceServiceSpec>, Dictionary<string, string>> Sections() => new()
    {
        {
            "rate limits, all fields",
            s => s.RateLimits = new RateLimitsSpec { Limits = "2/s, 100/h", ApiKeyHeader = "X-Client", ForwardedHeader = "X-Forwarded-For", MaxClients = 500 },
            new()
            {
                ["RateLimits__Limits"] = "2/s, 100/h", ["RateLimits__ApiKeyHeader"] = "X-Client",
                ["RateLimits__ForwardedHeader"] = "X-Forwarded-For", ["RateLimits__MaxClients"] = "500",
            }
        },
        {
            "rate limits keyed by address only",
            s => s.RateLimits = new RateLimitsSpec { Limits = "5/min", ApiKeyHeader = "" },
            new() { ["RateLimits__Limits"] = "5/min", ["RateLimits__ApiKeyHeader"] = "" }
        },
        {
            "cache in memory, quantities as bytes",
            s => s.Cache = new CacheSpec { TtlSeconds = 60, MaxBytes = new ResourceQuantity("256Mi"), MaxEntryBytes = new ResourceQuantity("1.5Ki") },
            new()
            {
                ["Cache__Enabled"] = "true", ["Cache__TtlSeconds"] = "60",
                ["Cache__MaxBytes"] = "268435456", ["Cache__MaxEntryBytes"] = "1536",
            }
        },
        {
            "cache switched off",
            s => s.Cache = new CacheSpec { Enabled = false },
            new() { ["Cache__Enabled"] = "false" }
        },
        {
            "jobs",
            s => s.Jobs = new JobsSpec { MaxJobs = 50, MaxRows = 64, ResultTtlSeconds = 120, QueueTimeoutSeconds = 30, MaxResultBytes = new ResourceQuantity("2M") },
            new()
            {
                ["Jobs__Enabled"] = "true", ["Jobs__MaxJobs"] = "50", ["Jobs__MaxRows"] = "64", ["Jobs__ResultTtlSeconds"] = "120",
                ["Jobs__QueueTimeoutSeconds"] = "30", ["Jobs__MaxResultBytes"] = "2000000",
            }
        },
        {
            "classify with every field",
            s =>
            {
                s.Preprocessing = new PreprocessingSpec
                {
                    Input = "data", ResizeShorterSide = 256, Height = 224, Width = 224, Layout = ImageLayout.Nhwc, ChannelOrder = ChannelOrder.Bgr,
                    Scale = 0.00392156862745098, Mean = [0.485, 0.456, 0.406], Std = [0.229, 0.224, 0.225], DataType = ImageDataType.Uint8, MaxPixels = 1000000,
                };
                s.Postprocessing = new PostprocessingSpec { Output = "logits", Softmax = true, TopK = 3, LabelsPath = "resnet50/labels.txt" };
            },
            new()
            {
                ["Preprocessing__Enabled"] = "true", ["Preprocessing__Input"] = "data", ["Preprocessing__ResizeShorterSide"] = "256",
                ["Preprocessing__Height"] = "224", ["Preprocessing__Width"] = "224", ["Preprocessing__Layout"] = "NHWC",
                ["Preprocessing__ChannelOrder"] = "BGR", ["Preprocessing__Scale"] = "0.00392156862745098",
                ["Preprocessing__Mean"] = "0.485,0.456,0.406", ["Preprocessing__Std"] = "0.229,0.224,0.225",
                ["Preprocessing__DataType"] = "UINT8", ["Preprocessing__MaxPixels"] = "1000000",
                ["Postprocessing__Enabled"] = "true", ["Postprocessing__Output"] = "logits", ["Postprocessing__Softmax"] = "true",
                ["Postprocessing__TopK"] = "3", ["Postprocessing__LabelsPath"] = "/models/resnet50/labels.txt",
            }
        },
        {
            "classify with the pod's defaults",
            s => { s.Preprocessing = new PreprocessingSpec(); s.Postprocessing = new PostprocessingSpec(); },
            new() { ["Preprocessing__Enabled"] = "true", ["Postprocessing__Enabled"] = "true" }
        },
        {
            "gpu memory guard",
            s => { s.Resources.Gpu = 1; s.Gpu = new GpuSpec { MinFreeMemory = new ResourceQuantity("2Gi") }; },
            new() { ["Gpu__MinFreeMemoryBytes"] = "2147483648", ["Model__ExecutionProvider"] = "cuda" }
        },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void A_section_sets_exactly_its_fields(string because, Action<InferenceServiceSpec> configure, Dictionary<string, string> expected)
    {
        var baseline = Env(TestServices.Pvc());
        var env = Env(TestServices.Pvc(configure));

        var added = env.Where(e => !baseline.ContainsKey(e.Key) || baseline[e.Key] != e.Value).ToDictionary();
        Assert.True(expected.OrderBy(p => p.Key).SequenceEqual(added.OrderBy(p => p.Key)),
            $"{because}: expected {string.Join(", ", expected)}, got {string.Join(", ", added)}");
    }

    [Fact]
    public void Redis_connection_strings_come_from_the_secret_never_inline()
    {
        var service = TestServices.Pvc(s =>
        {
            s.Cache = new CacheSpec { Redis = new RedisSpec { SecretRef = new SecretKeyReference { Name = "redis", Key = "cache-connection" }, TimeoutMs = 100 } };
            s.Jobs = new JobsSpec { Redis = new RedisSpec { SecretRef = new SecretKeyReference { Name = "jobs-redis", Key = "url" } } };
        });

        var env = PodEnvironment.Build(service, TestServices.Settings);

        var cache = Assert.Single(env, e => e.Name == "Cache__Redis");
        Assert.Null(cache.Value);
        Assert.Equal(("redis", "cache-connection"), (cache.ValueFrom.SecretKeyRef.Name, cache.ValueFrom.SecretKeyRef.Key));
        Assert.Null(cache.ValueFrom.SecretKeyRef.Optional);
        Assert.Equal("100", env.Single(e => e.Name == "Cache__RedisTimeoutMs").Value);
        var jobs = Assert.Single(env, e => e.Name == "Jobs__Redis");
        Assert.Equal(("jobs-redis", "url"), (jobs.ValueFrom.SecretKeyRef.Name, jobs.ValueFrom.SecretKeyRef.Key));
        Assert.DoesNotContain(env, e => e.Name == "Jobs__RedisTimeoutMs");
    }

    [Fact]
    public void The_keys_of_a_set_section_are_reserved_and_the_rest_stay_open()
    {
        var service = TestServices.Pvc(s =>
        {
            s.Cache = new CacheSpec { TtlSeconds = 60, Redis = new RedisSpec { SecretRef = new SecretKeyReference { Name = "redis", Key = "url" } } };
            s.RateLimits = new RateLimitsSpec { Limits = "1/s" };
            s.Preprocessing = new PreprocessingSpec { Mean = [1, 2, 3] };
            s.Postprocessing = new PostprocessingSpec();
            s.Env =
            [
                new V1EnvVar { Name = "Cache__Redis", Value = "evil:6379" },
                new V1EnvVar { Name = "cache__ttlseconds", Value = "1" },
                new V1EnvVar { Name = "Cache__MaxBytes", Value = "1000" },
                new V1EnvVar { Name = "RateLimits__Limits", Value = "1000/s" },
                new V1EnvVar { Name = "RateLimits__MaxClients", Value = "7" },
                new V1EnvVar { Name = "Preprocessing__Mean", Value = "0,0,0" },
                new V1EnvVar { Name = "Preprocessing__DecodeThreads", Value = "2" },
                new V1EnvVar { Name = "ASPNETCORE_Postprocessing__Enabled", Value = "false" },
                new V1EnvVar { Name = "Jobs__Enabled", Value = "false" },
                new V1EnvVar { Name = "Gpu__SampleIntervalMs", Value = "100" },
            ];
        });

        Assert.Equal(["Cache__Redis", "cache__ttlseconds", "RateLimits__Limits", "Preprocessing__Mean", "ASPNETCORE_Postprocessing__Enabled"],
            PodEnvironment.OverriddenUserVariables(service.Spec));
        var env = PodEnvironment.Build(service, TestServices.Settings);
        Assert.Single(env, e => e.Name == "Cache__Redis");
        Assert.Equal("redis", env.Single(e => e.Name == "Cache__Redis").ValueFrom.SecretKeyRef.Name);
        Assert.Equal(["Cache__MaxBytes", "RateLimits__MaxClients", "Preprocessing__DecodeThreads", "Jobs__Enabled", "Gpu__SampleIntervalMs"],
            env.SkipWhile(e => e.Name != "Cache__MaxBytes").Select(e => e.Name));
    }

    private static Dictionary<string, string> Env(InferenceService service) =>
        PodEnvironment.Build(service, TestServices.Settings).ToDictionary(e => e.Name, e => e.Value ?? "<valueFrom>");
}
