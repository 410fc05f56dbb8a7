using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Caching;

/// <summary>The response cache in a real Redis, shared by two replicas, and what happens when Redis goes away.</summary>
public sealed class RedisCacheTests
{
    private static Task<PodServer> StartAsync(string redis) => PodServer.StartAsync(TestModels.Mlp, new Dictionary<string, string?>
    {
        ["Cache:Enabled"] = "true",
        ["Cache:Redis"] = redis,
        ["Cache:RedisTimeoutMs"] = "300",
        ["Warmup:Iterations"] = "1",
    });

    private static async Task<float[]> InferAsync(PodServer pod, float[] data)
    {
        var response = await pod.InferJsonAsync("mlp", V2Requests.Json("input", [1, 64], data));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return V2Requests.JsonOutput((await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    [ToolFact(TestPrograms.RedisServer)]
    public async Task A_replica_answers_from_what_another_replica_computed()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await StartAsync(redis.ConnectionString);
        await using var second = await StartAsync(redis.ConnectionString);
        var data = V2Requests.RandomFloats(64, seed: 11);

        var computed = await InferAsync(first, data);
        var runs = await second.MetricAsync(CacheMetricNames.Runs("mlp"));
        Assert.Equal(computed, await InferAsync(second, data));
        Assert.Equal(1, await second.MetricAsync(CacheMetricNames.Result("mlp", "hit")));
        Assert.Equal(runs, await second.MetricAsync(CacheMetricNames.Runs("mlp")));
    }

    [ToolFact(TestPrograms.RedisServer)]
    public async Task When_redis_dies_mid_run_requests_keep_succeeding_uncached_and_errors_are_counted()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var pod = await StartAsync(redis.ConnectionString);
        var data = V2Requests.RandomFloats(64, seed: 12);
        var expected = await InferAsync(pod, data);
        Assert.Equal(expected, await InferAsync(pod, data));
        Assert.Equal(1, await pod.MetricAsync(CacheMetricNames.Result("mlp", "hit")));

        redis.Kill();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(expected, await InferAsync(pod, data));
            DirectRun.AssertClose(DirectRun.Run(TestModels.Mlp, "input", [1, 64], V2Requests.RandomFloats(64, 100 + i)), await InferAsync(pod, V2Requests.RandomFloats(64, 100 + i)));
        }
        Assert.Equal(1, await pod.MetricAsync(CacheMetricNames.Result("mlp", "hit")));
        Assert.True(await pod.MetricAsync(CacheMetricNames.Result("mlp", "error")) >= 20, "every lookup and store against the dead Redis counts as an error");
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.GetAsync("/v2/health/ready")).StatusCode);
    }

    [ToolFact(TestPrograms.RedisServer)]
    public async Task A_pod_whose_redis_is_unreachable_from_the_start_serves_uncached()
    {
        await using var redis = await RedisServer.StartAsync();
        var address = redis.ConnectionString;
        redis.Kill();
        await using var pod = await StartAsync(address);
        var data = V2Requests.RandomFloats(64, seed: 13);
        Assert.Equal(await InferAsync(pod, data), await InferAsync(pod, data));
        Assert.Equal(0, await pod.MetricAsync(CacheMetricNames.Result("mlp", "hit")));
        Assert.True(await pod.MetricAsync(CacheMetricNames.Result("mlp", "error")) >= 2);
    }
}
