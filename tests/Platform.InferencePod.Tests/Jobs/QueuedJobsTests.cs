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
        var jobs = (await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => JobRequests.SubmitAsync(pod, "mobilenet_v2", Body()))))
            .Select(j => (string)j["id"]!).ToArray();

        // The job furthest back in the queue once all are in.
        var documents = await Task.WhenAll(jobs.Select(id => JobRequests.GetAsync(pod, id)));
        var queued = documents.Where(d => (string)d["status"]! == "queued").ToArray();
        Assert.True(queued.Length > 0, "the test needs a backlog: " + string.Join(", ", documents.Select(d => d["status"])));
        var positions = queued.Select(d => (int)d["position"]!).ToArray();
        Assert.Equal(positions.Length, positions.Distinct().Count());
        Assert.All(positions, p => Assert.InRange(p, 0, jobs.Length - 1));
        var last = queued.MaxBy(d => (int)d["position"]!)!;
        var lastId = (string)last["id"]!;

        var cancel = await pod.Client.DeleteAsync($"/v2/jobs/{lastId}");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (string)(await cancel.Content.ReadFromJsonAsync<JsonObject>())!["status"]!);

        foreach (var id in jobs.Where(id => id != lastId)) Assert.Equal("succeeded", (string)(await JobRequests.WaitAsync(pod, id))["status"]!);
        var cancelled = await JobRequests.GetAsync(pod, lastId);
        Assert.Equal("cancelled", (string)cancelled["status"]!);
        Assert.Contains("cancelled before it ran", (string)cancelled["error"]!["message"]!);
        Assert.Equal(rows + (jobs.Length - 1) * 4, await pod.MetricAsync("platform_inference_batch_size_sum{model=\"mobilenet_v2\"}"));
        Assert.Equal(HttpStatusCode.Conflict, (await pod.Client.DeleteAsync($"/v2/jobs/{lastId}")).StatusCode);
    }

    [Fact]
    public async Task A_high_priority_job_overtakes_queued_ones()
    {
        var pod = fixture.Pod;
        var low = (await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => JobRequests.SubmitAsync(pod, "mobilenet_v2", Body(new JsonObject { ["priority"] = 2 })))))
            .Select(j => (string)j["id"]!).ToArray();
        var high = await JobRequests.SubmitAsync(pod, "mobilenet_v2", Body(new JsonObject { ["priority"] = 1 }));
        var stillQueued = (await Task.WhenAll(low.Select(id => JobRequests.GetAsync(pod, id)))).Count(d => (string)d["status"]! == "queued");
        Assert.True(stillQueued >= 2, $"the test needs a backlog of low-priority jobs ({stillQueued} queued)");
        if ((string)high["status"]! == "queued") Assert.Equal(0, (int)high["position"]!);

        var highFinished = FinishedAt(await JobRequests.WaitAsync(pod, (string)high["id"]!));
        var lowFinished = new List<DateTimeOffset>();
        foreach (var id in low) lowFinished.Add(FinishedAt(await JobRequests.WaitAsync(pod, id)));
        // FIFO would finish it last; with priority it passes the queued backlog.
        Assert.True(lowFinished.Count(f => f > highFinished) >= stillQueued - 1, "the high-priority job overtook the queued low-priority ones");
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
        await JobRequests.SubmitAsync(pod, "mobilenet_v2", SlowPodFixture.Body());
        await JobRequests.SubmitAsync(pod, "mobilenet_v2", SlowPodFixture.Body());
        var refused = await pod.Client.PostAsync("/v2/models/mobilenet_v2/jobs", SlowPodFixture.Body());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("holds 2 jobs that have not finished (Jobs:MaxJobs)", await JobRequests.ErrorAsync(refused));
        Assert.NotNull(refused.Headers.RetryAfter);
    }
}
