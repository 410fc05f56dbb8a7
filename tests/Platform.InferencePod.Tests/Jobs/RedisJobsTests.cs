using System.Net;
using System.Net.Http.Json;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Jobs;

/// <summary>Job status and results shared through a real Redis: any replica answers; a Redis that dies loses no job.</summary>
public sealed class RedisJobsTests
{
    private static Task<PodServer> StartAsync(string redis) => PodServer.StartAsync(TestModels.Mlp, new Dictionary<string, string?>
    {
        ["Jobs:Redis"] = redis,
        ["Jobs:RedisTimeoutMs"] = "300",
        ["Warmup:Iterations"] = "1",
    });

    private static HttpContent Body(int seed) => JsonContent.Create(V2Requests.Json("input", [1, 64], V2Requests.RandomFloats(64, seed)));

    [ToolFact(TestPrograms.RedisServer)]
    public async Task Another_replica_answers_for_a_job_with_its_result()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await StartAsync(redis.ConnectionString);
        await using var second = await StartAsync(redis.ConnectionString);

        var id = (string)(await JobRequests.SubmitAsync(first, "mlp", Body(31)))["id"]!;
        var onOwner = await JobRequests.WaitAsync(first, id);
        var elsewhere = await JobRequests.WaitAsync(second, id);
        Assert.Equal("succeeded", (string)elsewhere["status"]!);
        Assert.Equal(onOwner["result"]!.ToJsonString(), elsewhere["result"]!.ToJsonString());
        DirectRun.AssertClose(DirectRun.Run(TestModels.Mlp, "input", [1, 64], V2Requests.RandomFloats(64, 31)), V2Requests.JsonOutput(elsewhere["result"]!));

        var cancel = await second.Client.DeleteAsync($"/v2/jobs/{id}");
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Contains("has already finished (succeeded)", await JobRequests.ErrorAsync(cancel));

        var unknown = await second.Client.GetAsync($"/v2/jobs/{new string('f', 32)}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("never existed or its result expired", await JobRequests.ErrorAsync(unknown));
    }

    [ToolFact(TestPrograms.RedisServer)]
    public async Task When_redis_dies_jobs_are_still_accepted_and_answered_by_the_replica_that_holds_them()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await StartAsync(redis.ConnectionString);
        await using var second = await StartAsync(redis.ConnectionString);
        var before = (string)(await JobRequests.SubmitAsync(first, "mlp", Body(32)))["id"]!;
        await JobRequests.WaitAsync(first, before);

        redis.Kill();
        var after = (string)(await JobRequests.SubmitAsync(first, "mlp", Body(33)))["id"]!;
        Assert.Equal("succeeded", (string)(await JobRequests.WaitAsync(first, after))["status"]!);
        Assert.Equal("succeeded", (string)(await JobRequests.GetAsync(first, before))["status"]!);
        Assert.True(await first.MetricAsync("platform_inference_job_store_errors_total{model=\"mlp\"}") >= 1);

        var elsewhere = await second.Client.GetAsync($"/v2/jobs/{after}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, elsewhere.StatusCode);
        Assert.Contains("the shared job store cannot be reached", await JobRequests.ErrorAsync(elsewhere));
    }
}
