using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Inference;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Caching;

/// <summary>The in-process response cache over HTTP on a real mlp pod.</summary>
public sealed class ResponseCacheTests
{
    private static Task<PodServer> StartAsync(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Cache:Enabled"] = "true", ["Warmup:Iterations"] = "1" };
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return PodServer.StartAsync(TestModels.Mlp, settings);
    }

    private static async Task<float[]> InferAsync(PodServer pod, float[] data, string? cacheControl = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v2/models/mlp/infer") { Content = JsonContent.Create(V2Requests.Json("input", [1, 64], data)) };
        if (cacheControl is not null) message.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
        var response = await pod.Client.SendAsync(message);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return V2Requests.JsonOutput((await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static async Task<(double Hits, double Misses, double Bypasses, double Runs)> CountsAsync(PodServer pod) => (
        await pod.MetricAsync(CacheMetricNames.Result("mlp", "hit")),
        await pod.MetricAsync(CacheMetricNames.Result("mlp", "miss")),
        await pod.MetricAsync(CacheMetricNames.Result("mlp", "bypass")),
        await pod.MetricAsync(CacheMetricNames.Runs("mlp")));

    [Fact]
    public async Task An_identical_request_is_answered_from_the_cache_without_a_model_run_in_either_encoding()
    {
        await using var pod = await StartAsync();
        var data = V2Requests.RandomFloats(64, seed: 1);
        var start = await CountsAsync(pod);

        var computed = await InferAsync(pod, data);
        Assert.Equal(start with { Misses = start.Misses + 1, Runs = start.Runs + 1 }, await CountsAsync(pod));
        DirectRun.AssertClose(DirectRun.Run(TestModels.Mlp, "input", [1, 64], data), computed);

        var cached = await InferAsync(pod, data);
        Assert.Equal(computed, cached);
        var binary = await pod.Client.PostAsync("/v2/models/mlp/infer", V2Requests.Binary("input", [1, 64], data));
        Assert.Equal(computed, (await V2Requests.ReadBinaryAsync(binary)).Output);
        Assert.Equal(start with { Hits = start.Hits + 2, Misses = start.Misses + 1, Runs = start.Runs + 1 }, await CountsAsync(pod));

        await InferAsync(pod, V2Requests.RandomFloats(64, seed: 2));
        Assert.Equal(start.Misses + 2, (await CountsAsync(pod)).Misses);
    }

    [Fact]
    public async Task Grpc_shares_the_cache_with_rest_and_honours_cache_control()
    {
        await using var pod = await StartAsync();
        var data = V2Requests.RandomFloats(64, seed: 3);
        var start = await CountsAsync(pod);

        var computed = await InferAsync(pod, data);
        var fromGrpc = await pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mlp", "input", [1, 64], data));
        Assert.Equal(computed, GrpcRequests.FirstOutput(fromGrpc));
        Assert.Equal(start with { Hits = start.Hits + 1, Misses = start.Misses + 1, Runs = start.Runs + 1 }, await CountsAsync(pod));

        var fresh = await pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mlp", "input", [1, 64], data), new global::Grpc.Core.Metadata { { "cache-control", "no-cache" } });
        Assert.Equal(computed, GrpcRequests.FirstOutput(fresh));
        Assert.Equal(start with { Hits = start.Hits + 1, Misses = start.Misses + 1, Bypasses = start.Bypasses + 1, Runs = start.Runs + 2 }, await CountsAsync(pod));
    }

    [Fact]
    public async Task No_cache_computes_afresh_and_no_store_keeps_the_answer_out()
    {
        await using var pod = await StartAsync();
        var data = V2Requests.RandomFloats(64, seed: 3);
        await InferAsync(pod, data);
        var before = await CountsAsync(pod);
        await InferAsync(pod, data, "no-cache");
        Assert.Equal(before with { Bypasses = before.Bypasses + 1, Runs = before.Runs + 1 }, await CountsAsync(pod));

        var fresh = V2Requests.RandomFloats(64, seed: 4);
        await InferAsync(pod, fresh, "no-store");
        await InferAsync(pod, fresh);
        var after = await CountsAsync(pod);
        Assert.Equal(before.Misses + 2, after.Misses);
        Assert.Equal(before.Runs + 3, after.Runs);
    }

    [Fact]
    public async Task A_cache_hit_is_answered_while_the_queue_is_full()
    {
        await using var pod = await StartAsync(new() { ["Queue:Capacity"] = "1" });
        var data = V2Requests.RandomFloats(64, seed: 5);
        var expected = await InferAsync(pod, data);

        // Occupy the only queue slot with an entry no batch can take (more rows than a run
        // stacks): it holds the slot until it is cancelled.
        var scheduler = pod.App.Services.GetRequiredService<InferenceScheduler>();
        using var blocker = new InferenceRequest { Rows = scheduler.MaxBatchSize + 1 };
        Assert.Equal(AdmitResult.Admitted, scheduler.TryAdmit(blocker, pod.App.Services.GetRequiredService<TimeProvider>().GetTimestamp(), long.MaxValue, warmup: false, out var slot));
        try
        {
            var uncached = await pod.InferJsonAsync("mlp", V2Requests.Json("input", [1, 64], V2Requests.RandomFloats(64, seed: 6)));
            Assert.Equal(HttpStatusCode.TooManyRequests, uncached.StatusCode);
            Assert.Equal(expected, await InferAsync(pod, data));
        }
        finally
        {
            slot.TryCancel(InferenceError.BadRequest("test over"));
        }
    }

    [Fact]
    public async Task A_job_whose_answer_is_cached_finishes_at_once_without_a_model_run()
    {
        await using var pod = await StartAsync();
        var data = V2Requests.RandomFloats(64, seed: 8);
        var expected = await InferAsync(pod, data);
        var runs = await pod.MetricAsync(CacheMetricNames.Runs("mlp"));
        var submitted = await Jobs.JobRequests.SubmitAsync(pod, "mlp", JsonContent.Create(V2Requests.Json("input", [1, 64], data)));
        Assert.Equal("succeeded", (string)submitted["status"]!);
        Assert.Equal(expected, V2Requests.JsonOutput(submitted["result"]!));
        Assert.Equal(runs, await pod.MetricAsync(CacheMetricNames.Runs("mlp")));
    }

    [Fact]
    public async Task Answers_over_the_entry_limit_are_not_cached()
    {
        await using var pod = await StartAsync(new() { ["Cache:MaxEntryBytes"] = "16" });
        var data = V2Requests.RandomFloats(64, seed: 7);
        await InferAsync(pod, data);
        await InferAsync(pod, data);
        var counts = await CountsAsync(pod);
        Assert.Equal(0, counts.Hits);
        Assert.Equal(2, counts.Misses);
    }
}
