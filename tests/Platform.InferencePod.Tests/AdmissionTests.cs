using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests;

/// <summary>
/// Bounded queue, deadlines, disconnects and priorities, observed over HTTP on the real pod. A
/// closed <see cref="RunGate"/> holds one request's run in the batch loop, so each test builds its
/// backlog behind it exactly.
/// </summary>
public sealed class AdmissionTests
{
    private const string Runs = "platform_inference_batch_size_sum{model=\"mobilenet_v2\"}";
    private const string QueueDepth = "platform_inference_queue_depth{model=\"mobilenet_v2\"}";
    private static readonly long[] ImageShape = [2, 3, 224, 224];
    private static readonly float[] Image = V2Requests.RandomFloats(2 * 3 * 224 * 224, seed: 9);

    private static Task<HttpResponseMessage> Infer(PodServer pod, JsonObject? parameters = null, CancellationToken cancellationToken = default) =>
        pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", V2Requests.Binary("input", ImageShape, Image, parameters: parameters), cancellationToken);

    /// <summary>A pod that runs one two-image request per batch, its gate closed.</summary>
    private static async Task<PodServer> StartHeldAsync(RunGate gate, Dictionary<string, string?>? more = null)
    {
        var pod = await PodServer.StartAsync(TestModels.MobileNet, Settings(more), gate: gate);
        gate.Close();
        return pod;
    }

    /// <summary>One request whose run the closed gate holds, so the queue is empty and the loop busy; answered once the gate opens.</summary>
    private static Task<Task<HttpResponseMessage>> HoldOneAsync(PodServer pod) => pod.HoldRunAsync(() => Infer(pod));

    private static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Batching:MaxBatchSize"] = "2", ["Warmup:Iterations"] = "1" };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return settings;
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after_and_loses_nothing_it_admitted()
    {
        var gate = new RunGate();
        await using var pod = await StartHeldAsync(gate, new() { ["Queue:Capacity"] = "2" });
        var held = await HoldOneAsync(pod);
        var rowsBefore = await pod.MetricAsync(Runs);
        var pending = Enumerable.Range(0, 30).Select(_ => Infer(pod)).ToList();
        // Two fit in the queue; the other 28 are answered at once, while the held run blocks the loop.
        var rejected = new List<HttpResponseMessage>();
        while (rejected.Count < 28)
        {
            var done = await Task.WhenAny(pending).WaitAsync(TimeSpan.FromSeconds(20));
            pending.Remove(done);
            rejected.Add(await done);
        }
        Assert.Equal(2, await pod.MetricAsync(QueueDepth));
        gate.Open();
        var served = await Task.WhenAll(pending.Append(held));
        Assert.All(served, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in rejected)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Contains("queue is full", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.ToString());
        }
        Assert.Equal(28, await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"queue_full\"}"));
        // The two queued requests and the held one, two images each.
        Assert.Equal(3 * 2, await pod.MetricAsync(Runs) - rowsBefore);
    }

    [Fact]
    public async Task A_full_queue_refuses_before_reading_the_body()
    {
        var gate = new RunGate();
        await using var pod = await StartHeldAsync(gate, new() { ["Queue:Capacity"] = "2" });
        var held = await HoldOneAsync(pod);
        var queued = Enumerable.Range(0, 2).Select(_ => Infer(pod)).ToArray();
        await WaitUntilAsync(async () => await pod.MetricAsync(QueueDepth) == 2);
        var (status, body) = await PartialRequest.SendAsync(pod.Client.BaseAddress!, "/v2/models/mobilenet_v2/infer", TimeSpan.FromSeconds(10));
        Assert.Equal(429, status);
        Assert.Contains("queue is full", body);
        gate.Open();
        Assert.All(await Task.WhenAll(queued.Append(held)), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task A_backlog_longer_than_the_default_deadline_refuses_before_reading_the_body()
    {
        var gate = new RunGate();
        // Jobs wait up to Jobs:QueueTimeoutSeconds, far beyond a waiting client's 1 s: 100 jobs of
        // four images (the first one's run held, the rest queued behind it) are more work than any
        // client request could wait for.
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet, new Dictionary<string, string?>
        {
            ["Batching:MaxBatchSize"] = "4", ["Warmup:BatchSizes"] = "1,4", ["Warmup:Iterations"] = "1", ["Queue:DefaultTimeoutMs"] = "1000", ["Jobs:Enabled"] = "true",
        }, gate: gate);
        gate.Close();
        var images = V2Requests.RandomFloats(4 * 3 * 224 * 224, seed: 31);
        for (var i = 0; i < 100; i++)
        {
            var submitted = await pod.Client.PostAsync("/v2/models/mobilenet_v2/jobs", V2Requests.Binary("input", [4, 3, 224, 224], images, binaryOutputs: false));
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }
        var (status, body) = await PartialRequest.SendAsync(pod.Client.BaseAddress!, "/v2/models/mobilenet_v2/infer", TimeSpan.FromSeconds(10));
        Assert.Equal(429, status);
        Assert.Contains("more than this request's deadline allows", body);
        gate.Open();
    }

    [Fact]
    public async Task Requests_whose_deadline_passes_in_the_queue_expire_and_are_never_computed()
    {
        var gate = new RunGate();
        await using var pod = await StartHeldAsync(gate);
        var held = await HoldOneAsync(pod);
        var rowsBefore = await pod.MetricAsync(Runs);
        // 200 ms (the timeout is in microseconds), which pass while the held run blocks the loop.
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Infer(pod, new JsonObject { ["timeout"] = 200_000 })));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.GatewayTimeout or HttpStatusCode.TooManyRequests, $"got {r.StatusCode}"));
        foreach (var response in responses)
        {
            var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.ToString();
            Assert.Contains(response.StatusCode == HttpStatusCode.GatewayTimeout ? "deadline" : "deadline allows", error);
        }
        var expired = responses.Count(r => r.StatusCode == HttpStatusCode.GatewayTimeout);
        Assert.True(expired >= 1, "at least the first request is admitted and expires");
        Assert.Equal(expired, await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"deadline\"}"));
        gate.Open();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Infer(pod)).StatusCode);
        // Nothing that expired was computed: the rows run are the held and the one answered request's.
        Assert.Equal(2 * 2, await pod.MetricAsync(Runs) - rowsBefore);
    }

    [Fact]
    public async Task A_request_can_shorten_its_deadline_with_the_timeout_parameter()
    {
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet, Settings());
        var rowsBefore = await pod.MetricAsync(Runs);
        // One microsecond cannot be met, whatever the queue holds: 504 (retrying does not help),
        // never a 429 that blames an empty queue; never computed.
        var response = await Infer(pod, new JsonObject { ["timeout"] = 1 });
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        Assert.Contains("deadline", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.ToString());
        Assert.Equal(0, await pod.MetricAsync(Runs) - rowsBefore);
        Assert.Equal(HttpStatusCode.OK, (await Infer(pod, new JsonObject { ["timeout"] = 60_000_000 })).StatusCode);
    }

    [Fact]
    public async Task A_client_that_disconnects_while_queued_is_dropped_before_compute()
    {
        var gate = new RunGate();
        await using var pod = await StartHeldAsync(gate);
        var held = await HoldOneAsync(pod);
        var rowsBefore = await pod.MetricAsync(Runs);
        const int backlogCount = 6;
        var backlog = Enumerable.Range(0, backlogCount).Select(_ => Infer(pod)).ToArray();
        await WaitUntilAsync(async () => await pod.MetricAsync(QueueDepth) == backlogCount);
        using var cancel = new CancellationTokenSource();
        var abandoned = Infer(pod, cancellationToken: cancel.Token);
        await WaitUntilAsync(async () => await pod.MetricAsync(QueueDepth) == backlogCount + 1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await WaitUntilAsync(async () => await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"client_disconnected\"}") == 1);
        gate.Open();
        var responses = await Task.WhenAll(backlog.Append(held));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // The backlog and the held request ran; the abandoned one did not.
        Assert.Equal(2 * (backlogCount + 1), await pod.MetricAsync(Runs) - rowsBefore);
    }

    [Fact]
    public async Task A_high_priority_request_overtakes_queued_low_priority_ones()
    {
        var gate = new RunGate();
        await using var pod = await StartHeldAsync(gate);
        var held = await HoldOneAsync(pod);
        var order = new List<string>();
        async Task Tracked(string name, JsonObject? parameters)
        {
            var response = await Infer(pod, parameters);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            lock (order) order.Add(name);
        }
        const int lowCount = 6;
        var low = Enumerable.Range(0, lowCount).Select(i => Tracked($"low{i}", new JsonObject { ["priority"] = 2 })).ToArray();
        await WaitUntilAsync(async () => await pod.MetricAsync(QueueDepth) == lowCount);
        var high = Tracked("high", new JsonObject { ["priority"] = 1 });
        await WaitUntilAsync(async () => await pod.MetricAsync(QueueDepth) == lowCount + 1);
        gate.Open();
        await Task.WhenAll(low.Append(high));
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        // One request per run: FIFO would run it last; with priority it runs first, and (allowing
        // for the next run finishing before the client reads the first answer) before the rest.
        var finishedAfter = order.Count - 1 - order.IndexOf("high");
        Assert.True(finishedAfter >= lowCount - 1, $"only {finishedAfter} low-priority requests finished after the high-priority one");
    }

    /// <summary>Polls a condition the server exposes only through its API.</summary>
    internal static Task WaitUntilAsync(Func<Task<bool>> condition, int timeoutMs = 20_000) =>
        Polling.UntilAsync(condition, () => "the condition", TimeSpan.FromMilliseconds(timeoutMs));
}
