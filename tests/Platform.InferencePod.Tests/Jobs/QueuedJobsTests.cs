using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Jobs;

/// <summary>
/// A mobilenet_v2 pod sent four images per job (one job per run), behind a gate: while it is
/// closed the batch loop's run waits at it, so jobs wait in the queue exactly as the test arranges.
/// </summary>
public sealed class HeldPodFixture : IAsyncLifetime
{
    private static readonly float[] Images = V2Requests.RandomFloats(4 * 3 * 224 * 224, seed: 23);

    public PodServer Pod { get; private set; } = null!;
    public RunGate Gate { get; } = new();

    public static HttpContent Body(JsonObject? parameters = null) => V2Requests.Binary("input", [4, 3, 224, 224], Images, binaryOutputs: false, parameters: parameters);

    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Batching:MaxBatchSize"] = "4", ["Warmup:BatchSizes"] = "1", ["Warmup:Iterations"] = "1" };
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return settings;
    }

    public async Task InitializeAsync() => Pod = await PodServer.StartAsync(TestModels.MobileNet, Settings(), gate: Gate);

    public async Task DisposeAsync() => await Pod.DisposeAsync();
}

/// <summary>Jobs that wait in the queue: positions, cancellation, priority, expiry.</summary>
public sealed class QueuedJobsTests(HeldPodFixture fixture) : IClassFixture<HeldPodFixture>, IDisposable
{
    private const string Rows = "platform_inference_batch_size_sum{model=\"mobilenet_v2\"}";

    private static HttpContent Body(JsonObject? parameters = null) => HeldPodFixture.Body(parameters);

    /// <summary>
    /// Each test starts with the gate closed on one four-image request's run (returned: answered
    /// once the gate opens), so the queue is empty and the loop busy, and leaves the gate open.
    /// </summary>
    private async Task<(PodServer Pod, Task<HttpResponseMessage> Held)> HeldPodAsync()
    {
        var pod = fixture.Pod;
        fixture.Gate.Close();
        return (pod, await pod.HoldRunAsync(() => pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", Body())));
    }

    public void Dispose() => fixture.Gate.Open();

    [Fact]
    public async Task A_queued_job_reports_its_position_and_can_be_cancelled_before_it_runs()
    {
        var (pod, held) = await HeldPodAsync();
        var rows = await pod.MetricAsync(Rows);
        var jobs = new List<JsonObject>();
        for (var i = 0; i < 4; i++) jobs.Add(await JobRequests.SubmitAsync(pod, "mobilenet_v2", Body()));
        var documents = await Task.WhenAll(jobs.Select(j => JobRequests.GetAsync(pod, (string)j["id"]!)));
        Assert.All(documents, d => Assert.Equal("queued", (string)d["status"]!));
        Assert.Equal([0, 1, 2, 3], documents.Select(d => (int)d["position"]!));

        var lastId = (string)documents[^1]["id"]!;
        var cancel = await pod.Client.DeleteAsync($"/v2/jobs/{lastId}");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (string)(await cancel.Content.ReadFromJsonAsync<JsonObject>())!["status"]!);

        fixture.Gate.Open();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        foreach (var document in documents[..^1]) Assert.Equal("succeeded", (string)(await JobRequests.WaitAsync(pod, (string)document["id"]!))["status"]!);
        var cancelled = await JobRequests.GetAsync(pod, lastId);
        Assert.Equal("cancelled", (string)cancelled["status"]!);
        Assert.Contains("cancelled before it ran", (string)cancelled["error"]!["message"]!);
        // Every job ran (four rows each) except the cancelled one, and so did the held request.
        Assert.Equal(rows + 3 * 4 + 4, await pod.MetricAsync(Rows));
        Assert.Equal(HttpStatusCode.Conflict, (await pod.Client.DeleteAsync($"/v2/jobs/{lastId}")).StatusCode);
    }

    [Fact]
    public async Task A_high_priority_job_overtakes_queued_ones()
    {
        var (pod, held) = await HeldPodAsync();
        var low = new List<string>();
        for (var i = 0; i < 4; i++) low.Add((string)(await JobRequests.SubmitAsync(pod, "mobilenet_v2", Body(new JsonObject { ["priority"] = 2 })))["id"]!);
        var high = await JobRequests.SubmitAsync(pod, "mobilenet_v2", Body(new JsonObject { ["priority"] = 1 }));
        Assert.Equal("queued", (string)high["status"]!);
        Assert.Equal(0, (int)high["position"]!);
        Assert.Equal(4, (int)(await JobRequests.GetAsync(pod, low[^1]))["position"]!);

        fixture.Gate.Open();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        var highFinished = FinishedAt(await JobRequests.WaitAsync(pod, (string)high["id"]!));
        foreach (var id in low)
            Assert.True(FinishedAt(await JobRequests.WaitAsync(pod, id)) > highFinished, $"low-priority job {id}, queued behind the high-priority one, finished first");
    }

    [Fact]
    public async Task A_job_past_its_queue_timeout_fails_unrun()
    {
        var (pod, held) = await HeldPodAsync();
        var rows = await pod.MetricAsync(Rows);
        // timeout is in microseconds: 300 ms, which passes while the queue is held.
        var late = (string)(await JobRequests.SubmitAsync(pod, "mobilenet_v2", Body(new JsonObject { ["timeout"] = 300_000 })))["id"]!;
        var failed = await JobRequests.WaitAsync(pod, late);
        Assert.Equal("failed", (string)failed["status"]!);
        Assert.Equal(504, (int)failed["error"]!["code"]!);
        Assert.Contains("deadline", (string)failed["error"]!["message"]!);
        fixture.Gate.Open();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        var ran = (string)(await JobRequests.SubmitAsync(pod, "mobilenet_v2", Body()))["id"]!;
        Assert.Equal("succeeded", (string)(await JobRequests.WaitAsync(pod, ran))["status"]!);
        // The held request's rows and the job that ran; the late one never ran.
        Assert.Equal(rows + 4 + 4, await pod.MetricAsync(Rows));
    }

    private static DateTimeOffset FinishedAt(JsonObject document) =>
        DateTimeOffset.Parse((string)document["finished_at"]!, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The bound on the jobs one replica holds.</summary>
public sealed class HeldJobsBoundTests
{
    [Fact]
    public async Task A_replica_holding_its_maximum_of_unfinished_jobs_answers_429()
    {
        var gate = new RunGate();
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet, HeldPodFixture.Settings(new() { ["Jobs:MaxJobs"] = "2" }), gate: gate);
        gate.Close();
        // Neither finishes while the gate is closed: one's run waits at it, the other in the queue.
        var held = await Task.WhenAll(JobRequests.SubmitAsync(pod, "mobilenet_v2", HeldPodFixture.Body()), JobRequests.SubmitAsync(pod, "mobilenet_v2", HeldPodFixture.Body()));
        var refused = await pod.Client.PostAsync("/v2/models/mobilenet_v2/jobs", HeldPodFixture.Body());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("holds 2 jobs that have not finished (Jobs:MaxJobs)", await JobRequests.ErrorAsync(refused));
        Assert.NotNull(refused.Headers.RetryAfter);
        gate.Open();
        foreach (var job in held) Assert.Equal("succeeded", (string)(await JobRequests.WaitAsync(pod, (string)job["id"]!))["status"]!);
        // Finished jobs make room.
        await JobRequests.SubmitAsync(pod, "mobilenet_v2", HeldPodFixture.Body());
    }

    [Fact]
    public async Task A_draining_replica_answers_a_job_503_even_when_its_job_table_is_full()
    {
        var gate = new RunGate();
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet, HeldPodFixture.Settings(new() { ["Jobs:MaxJobs"] = "1" }), gate: gate);
        gate.Close();
        var held = await JobRequests.SubmitAsync(pod, "mobilenet_v2", HeldPodFixture.Body());
        pod.State.BeginDraining();
        var refused = await pod.Client.PostAsync("/v2/models/mobilenet_v2/jobs", HeldPodFixture.Body());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("shutting down", await JobRequests.ErrorAsync(refused));
        gate.Open();
        Assert.Equal("succeeded", (string)(await JobRequests.WaitAsync(pod, (string)held["id"]!))["status"]!);
    }
}
