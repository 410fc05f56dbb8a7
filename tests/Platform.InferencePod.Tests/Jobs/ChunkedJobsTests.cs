using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Jobs;

/// <summary>Jobs larger than one batch: run one batch at a time, with progress, cancellable between batches.</summary>
public sealed class ChunkedJobsTests
{
    private const string Runs = "platform_inference_batch_size_count{model=\"mlp\"}";
    private const string Rows = "platform_inference_batch_size_sum{model=\"mlp\"}";

    private const string QueueDepth = "platform_inference_queue_depth{model=\"mlp\"}";

    private static Task<PodServer> StartAsync(RunGate? gate = null) => PodServer.StartAsync(TestModels.Mlp,
        new Dictionary<string, string?> { ["Batching:MaxBatchSize"] = "8", ["Warmup:Iterations"] = "1", ["Jobs:MaxRows"] = "40" }, gate: gate);

    /// <summary>An interactive request of one full batch (8 rows): one run of its own.</summary>
    private static Task<HttpResponseMessage> FullBatchAsync(PodServer pod, int seed) =>
        pod.InferJsonAsync("mlp", V2Requests.Json("input", [8, 64], V2Requests.RandomFloats(8 * 64, seed)));

    [Fact]
    public async Task A_job_of_twenty_rows_runs_as_three_batches_and_answers_like_one_run()
    {
        await using var pod = await StartAsync();
        var (runs, rows) = (await pod.MetricAsync(Runs), await pod.MetricAsync(Rows));
        var data = V2Requests.RandomFloats(20 * 64, seed: 41);
        var submitted = await JobRequests.SubmitAsync(pod, "mlp", JsonContent.Create(V2Requests.Json("input", [20, 64], data)));
        var finished = await JobRequests.WaitAsync(pod, (string)submitted["id"]!);

        Assert.Equal("succeeded", (string)finished["status"]!);
        Assert.Equal(20, (int)finished["progress"]!["completed_rows"]!);
        Assert.Equal(20, (int)finished["progress"]!["total_rows"]!);
        Assert.Equal([20L, 10L], finished["result"]!["outputs"]![0]!["shape"]!.AsArray().Select(d => (long)d!));
        DirectRun.AssertClose(DirectRun.Run(TestModels.Mlp, "input", [20, 64], data), V2Requests.JsonOutput(finished["result"]!));
        Assert.Equal(runs + 3, await pod.MetricAsync(Runs));
        Assert.Equal(rows + 20, await pod.MetricAsync(Rows));
    }

    [Fact]
    public async Task Progress_shows_between_batches_and_a_cancel_stops_the_job_before_its_next_batch()
    {
        var gate = new RunGate();
        await using var pod = await StartAsync(gate);
        gate.Close();
        // A batch held ahead keeps the loop busy while the job's first batch queues.
        var ahead = await pod.HoldRunAsync(() => FullBatchAsync(pod, seed: 43));
        var rows = await pod.MetricAsync(Rows);
        var submitted = await JobRequests.SubmitAsync(pod, "mlp", JsonContent.Create(V2Requests.Json("input", [20, 64], V2Requests.RandomFloats(20 * 64, seed: 42))));
        var id = (string)submitted["id"]!;
        Assert.Equal("queued", (string)submitted["status"]!);
        Assert.Equal(0, (int)submitted["progress"]!["completed_rows"]!);
        // A batch queued behind the job's first: the loop takes and holds it once that has run, so
        // the job's second batch waits in the queue, not computing, when the client cancels.
        var behind = FullBatchAsync(pod, seed: 44);
        await AdmissionTests.WaitUntilAsync(async () => await pod.MetricAsync(QueueDepth) == 2);

        gate.Allow(2);
        JsonObject document = null!;
        await AdmissionTests.WaitUntilAsync(async () => (int)(document = await JobRequests.GetAsync(pod, id))["progress"]!["completed_rows"]! == 8);
        Assert.Equal("running", (string)document["status"]!);
        Assert.Equal(20, (int)document["progress"]!["total_rows"]!);
        await gate.WhenHolding(1).WaitAsync(TimeSpan.FromSeconds(20));

        var cancel = await pod.Client.DeleteAsync($"/v2/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = (await cancel.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("cancelled", (string)cancelled["status"]!);
        Assert.Contains("after 8 of 20 rows", (string)cancelled["error"]!["message"]!);
        gate.Open();
        Assert.Equal(HttpStatusCode.OK, (await ahead).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await behind).StatusCode);
        // Of the job only the first batch ever ran; the other rows are the batches ahead and behind.
        await AdmissionTests.WaitUntilAsync(async () => await pod.MetricAsync(Rows) >= rows + 8 + 2 * 8);
        Assert.Equal(rows + 8 + 2 * 8, await pod.MetricAsync(Rows));
    }

    [Fact]
    public async Task A_job_over_the_row_limit_is_refused_with_the_limit_named()
    {
        await using var pod = await StartAsync();
        var response = await pod.Client.PostAsync("/v2/models/mlp/jobs", JsonContent.Create(V2Requests.Json("input", [41, 64], new float[41 * 64])));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("batch size 41; it must be between 1 and 40", await JobRequests.ErrorAsync(response));
        // The interactive endpoint keeps the batch size as its limit.
        var infer = await pod.InferJsonAsync("mlp", V2Requests.Json("input", [9, 64], new float[9 * 64]));
        Assert.Equal(HttpStatusCode.BadRequest, infer.StatusCode);
    }
}
