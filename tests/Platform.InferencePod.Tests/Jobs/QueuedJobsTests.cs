using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Jobs;

/// <summary>A mobilenet_v2 pod on one intra-op thread, sent four images per job: each run takes long enough that later jobs wait.</summary>
public sealed class SlowPodFixture : IAsyncLifetime
{
    private static readonly float[] Images = V2Requests.RandomFloats(4 * 3 * 224 * 224, seed: 23);

    public PodServer Pod { get; private set; } = null!;

    public static HttpContent Body(JsonObject? parameters = null) => V2Requests.Binary("input", [4, 3, 224, 224], Images, binaryOutputs: false, parameters: parameters);

    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Batching:MaxBatchSize"] = "4", ["Warmup:BatchSizes"] = "1", ["Warmup:Iterations"] = "1", ["Model:IntraOpThreads"] = "1", ["Model:AllowSpinning"] = "false",
        };
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return settings;
    }

    public async Task InitializeAsync() => Pod = await PodServer.StartAsync(TestModels.MobileNet, Settings());

    public async Task DisposeAsync() => await Pod.DisposeAsync();
}

/// <summary>Jobs on a pod where computing takes a while: queue positions, cancellation, the bound on held jobs, expiry.</summary>
public sealed class QueuedJobsTests(SlowPodFixture fixture) : IClassFixture<SlowPodFixture>
{
    private static HttpContent Body(JsonObject? parameters = null) => SlowPodFixture.Body(parameters);

    [Fact]
    public async Task A_queued_job_reports_its_position_and_can_be_cancelled_before_it_runs()
    {
        var pod = fixture.Pod;
        var rows = await pod.MetricAsync("platform_inference_batch_size_sum{model=\"mobilenet_v2\"}");
        var (jobs, documents, submitted) = await SubmitWithBacklogAsync(pod, 10, null);

        var queued = documents.Where(d => (string)d["status"]! == "queued").ToArray();
        var positions = queued.Select(d => (int)d["position"]!).ToArray();
        Assert.Equal(positions.Length, positions.Distinct().Count());
        Assert.All(positions, p => Assert.InRange(p, 0, jobs.Length - 1));
        // The job furthest back in the queue once all are in.
        var lastId = (string)queued.MaxBy(d => (int)d["position"]!)!["id"]!;

        var cancel = await pod.Client.DeleteAsync($"/v2/jobs/{lastId}");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (string)(await cancel.Content.ReadFromJsonAsync<JsonObject>())!["status"]!);

        foreach (var id in jobs.Where(id => id != lastId)) Assert.Equal("succeeded", (string)(await JobRequests.WaitAsync(pod, id))["status"]!);
        var cancelled = await JobRequests.GetAsync(pod, lastId);
        Assert.Equal("cancelled", (string)cancelled["status"]!);
        Assert.Contains("cancelled before it ran", (string)cancelled["error"]!["message"]!);
        // Every job submitted ran (four rows each) except the cancelled one.
        Assert.Equal(rows + (submitted - 1) * 4, await pod.MetricAsync("platform_inference_batch_size_sum{model=\"mobilenet_v2\"}"));
        Assert.Equal(HttpStatusCode.Conflict, (await pod.Client.DeleteAsync($"/v2/jobs/{lastId}")).StatusCode);
    }

    [Fact]
    public async Task A_high_priority_job_overtakes_queued_ones()
    {
        var pod = fixture.Pod;
        var (low, _, _) = await SubmitWithBacklogAsync(pod, 12, new JsonObject { ["priority"] = 2 });
        var high = await JobRequests.SubmitAsync(pod, "mobilenet_v2", Body(new JsonObject { ["priority"] = 1 }));
        if ((string)high["status"]! == "queued") Assert.Equal(0, (int)high["position"]!);
        // Low-priority jobs still queued now, with the high-priority one admitted, must all run after it.
        var queuedLow = (await Task.WhenAll(low.Select(id => JobRequests.GetAsync(pod, id))))
            .Where(d => (string)d["status"]! == "queued").Select(d => (string)d["id"]!).ToArray();

        var highFinished = FinishedAt(await JobRequests.WaitAsync(pod, (string)high["id"]!));
        foreach (var id in low)
        {
            var finished = FinishedAt(await JobRequests.WaitAsync(pod, id));
            if (queuedLow.Contains(id)) Assert.True(finished > highFinished, $"low-priority job {id}, queued behind the high-priority one, finished first");
        }
    }

    /// <summary>
    /// Submits jobs all at once and reads their documents; how many are still queued then depends
    /// on how fast this machine computes, so the round is repeated (after it finishes) until some are.
    /// </summary>
    private static async Task<(string[] Ids, JsonObject[] Documents, int Submitted)> SubmitWithBacklogAsync(PodServer pod, int count, JsonObject? parameters)
    {
        for (var round = 1; ; round++)
        {
            var ids = (await Task.WhenAll(Enumerable.Range(0, count).Select(_ => JobRequests.SubmitAsync(pod, "mobilenet_v2", Body(parameters?.DeepClone().AsObject())))))
                .Select(j => (string)j["id"]!).ToArray();
            var documents = await Task.WhenAll(ids.Select(id => JobRequests.GetAsync(pod, id)));
            if (documents.Count(d => (string)d["status"]! == "queued") >= 2) return (ids, documents, round * count);
            Assert.True(round < 3, "no backlog formed in three rounds: " + string.Join(", ", documents.Select(d => d["status"])));
            foreach (var id in ids) await JobRequests.WaitAsync(pod, id);
        }
    }

    private static DateTimeOffset FinishedAt(JsonObject document) =>
        DateTimeOffset.Parse((string)document["finished_at"]!, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_job_past_its_queue_timeout_fails_unrun()
    {
        var pod = fixture.Pod;
        var first = (string)(await JobRequests.SubmitAsync(pod, "mobilenet_v2", Body()))["id"]!;
        var second = (string)(await JobRequests.SubmitAsync(pod, "mobilenet_v2", Body()))["id"]!;
        var late = (string)(await JobRequests.SubmitAsync(pod, "mobilenet_v2", Body(new JsonObject { ["timeout"] = 1000 })))["id"]!;
        var failed = await JobRequests.WaitAsync(pod, late);
        Assert.Equal("failed", (string)failed["status"]!);
        Assert.Equal(504, (int)failed["error"]!["code"]!);
        Assert.Contains("deadline", (string)failed["error"]!["message"]!);
        await JobRequests.WaitAsync(pod, first);
        await JobRequests.WaitAsync(pod, second);
    }
}

/// <summary>The bound on the jobs one replica holds.</summary>
public sealed class HeldJobsBoundTests
{
    [Fact]
    public async Task A_replica_holding_its_maximum_of_unfinished_jobs_answers_429()
    {
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet, SlowPodFixture.Settings(new() { ["Jobs:MaxJobs"] = "2" }));
        for (var round = 1; ; round++)
        {
            var held = await Task.WhenAll(JobRequests.SubmitAsync(pod, "mobilenet_v2", SlowPodFixture.Body()), JobRequests.SubmitAsync(pod, "mobilenet_v2", SlowPodFixture.Body()));
            var refused = await pod.Client.PostAsync("/v2/models/mobilenet_v2/jobs", SlowPodFixture.Body());
            if (refused.StatusCode == HttpStatusCode.Accepted)
            {
                // One of the two finished first (a fast machine): the oldest finished job made room, as it should. Try again.
                Assert.True(round < 3, "a third job was accepted in three rounds while two were held");
                var third = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
                foreach (var id in held.Select(j => (string)j["id"]!).Append((string)third["id"]!)) await JobRequests.WaitAsync(pod, id);
                continue;
            }
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Contains("holds 2 jobs that have not finished (Jobs:MaxJobs)", await JobRequests.ErrorAsync(refused));
            Assert.NotNull(refused.Headers.RetryAfter);
            break;
        }
    }
}
