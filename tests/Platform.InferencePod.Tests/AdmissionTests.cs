using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests;

/// <summary>Bounded queue, deadlines, disconnects and priorities, observed over HTTP on the real pod.</summary>
public sealed class AdmissionTests
{
    private const string Runs = "platform_inference_batch_size_sum{model=\"mobilenet_v2\"}";
    // Two images per request and one intra-op thread make each run slow enough that a backlog forms reliably.
    private static readonly long[] ImageShape = [2, 3, 224, 224];
    private static readonly float[] Image = V2Requests.RandomFloats(2 * 3 * 224 * 224, seed: 9);

    private static Task<HttpResponseMessage> Infer(PodServer pod, JsonObject? parameters = null, CancellationToken cancellationToken = default) =>
        pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", V2Requests.Binary("input", ImageShape, Image, parameters: parameters), cancellationToken);

    // Four images per request: runs long enough that the whole low-priority backlog is admitted before it drains.
    private static readonly long[] LargeShape = [4, 3, 224, 224];
    private static readonly float[] LargeImage = V2Requests.RandomFloats(4 * 3 * 224 * 224, seed: 10);

    private static Dictionary<string, string?> OneAtATime(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Batching:MaxBatchSize"] = "2", ["Warmup:Iterations"] = "1", ["Model:IntraOpThreads"] = "1" };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return settings;
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after_and_loses_nothing_it_admitted()
    {
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet, OneAtATime(new() { ["Queue:Capacity"] = "2" }));
        var rowsBefore = await pod.MetricAsync(Runs);
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Infer(pod)));
        var rejected = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        var served = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.NotEmpty(rejected);
        Assert.Equal(30, served + rejected.Length);
        foreach (var response in rejected)
        {
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Contains("queue is full", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.ToString());
        }
        Assert.Equal(rejected.Length, await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"queue_full\"}"));
        Assert.Equal(2 * served, await pod.MetricAsync(Runs) - rowsBefore);
    }

    [Fact]
    public async Task Requests_that_cannot_meet_their_deadline_are_refused_or_expire_and_are_never_computed()
    {
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet, OneAtATime(new() { ["Queue:DefaultTimeoutMs"] = "40" }));
        var rowsBefore = await pod.MetricAsync(Runs);
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Infer(pod)));
        var refused = responses.Where(r => r.StatusCode is HttpStatusCode.GatewayTimeout or HttpStatusCode.TooManyRequests).ToArray();
        var served = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.NotEmpty(refused);
        Assert.Equal(40, served + refused.Length);
        foreach (var response in refused)
        {
            var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.ToString();
            Assert.Contains(response.StatusCode == HttpStatusCode.GatewayTimeout ? "deadline" : "deadline allows", error);
        }
        // Nothing refused or expired was computed: the rows run are exactly the answered requests'.
        Assert.Equal(2 * served, await pod.MetricAsync(Runs) - rowsBefore);
        var expired = refused.Count(r => r.StatusCode == HttpStatusCode.GatewayTimeout);
        Assert.Equal(expired, await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"deadline\"}"));
    }

    [Fact]
    public async Task A_request_can_shorten_its_deadline_with_the_timeout_parameter()
    {
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet, OneAtATime());
        var rowsBefore = await pod.MetricAsync(Runs);
        // One microsecond cannot be met: refused at admission (429) or, if admitted, expired (504); never computed.
        var response = await Infer(pod, new JsonObject { ["timeout"] = 1 });
        Assert.True(response.StatusCode is HttpStatusCode.GatewayTimeout or HttpStatusCode.TooManyRequests, $"got {response.StatusCode}");
        Assert.Equal(0, await pod.MetricAsync(Runs) - rowsBefore);
        Assert.Equal(HttpStatusCode.OK, (await Infer(pod, new JsonObject { ["timeout"] = 60_000_000 })).StatusCode);
    }

    [Fact]
    public async Task A_client_that_disconnects_while_queued_is_dropped_before_compute()
    {
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet, OneAtATime());
        var rowsBefore = await pod.MetricAsync(Runs);
        const int backlogCount = 60;
        var backlog = Enumerable.Range(0, backlogCount).Select(_ => Infer(pod)).ToArray();
        await WaitUntilAsync(async () => await AdmittedAsync(pod) >= backlogCount);
        using var cancel = new CancellationTokenSource();
        var abandoned = Infer(pod, cancellationToken: cancel.Token);
        await WaitUntilAsync(async () => await AdmittedAsync(pod) >= backlogCount + 1);
        Assert.True(await pod.MetricAsync("platform_inference_queue_depth{model=\"mobilenet_v2\"}") >= 2, "the test needs the abandoned request queued behind a backlog");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        var responses = await Task.WhenAll(backlog);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await WaitUntilAsync(async () => await pod.MetricAsync("platform_inference_rejections_total{model=\"mobilenet_v2\",reason=\"client_disconnected\"}") == 1);
        Assert.Equal(2 * backlogCount, await pod.MetricAsync(Runs) - rowsBefore);
    }

    /// <summary>Requests admitted so far: answered plus in flight.</summary>
    private static async Task<double> AdmittedAsync(PodServer pod) =>
        await pod.MetricAsync("platform_inference_in_flight_requests{model=\"mobilenet_v2\"}") +
        await pod.MetricAsync("platform_inference_requests_total{model=\"mobilenet_v2\",code=\"200\"}");

    [Fact]
    public async Task A_high_priority_request_overtakes_queued_low_priority_ones()
    {
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet, OneAtATime(new() { ["Batching:MaxBatchSize"] = "4" }));
        var order = new List<string>();
        async Task Tracked(string name, JsonObject? parameters)
        {
            var response = await pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", V2Requests.Binary("input", LargeShape, LargeImage, parameters: parameters));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            lock (order) order.Add(name);
        }
        const int lowCount = 32;
        var low = Enumerable.Range(0, lowCount).Select(i => Tracked($"low{i}", new JsonObject { ["priority"] = 2 })).ToArray();
        // Every low-priority request admitted (answered or in flight), and a backlog still queued.
        double inFlight = 0;
        await WaitUntilAsync(async () =>
        {
            inFlight = await pod.MetricAsync("platform_inference_in_flight_requests{model=\"mobilenet_v2\"}");
            return inFlight + await pod.MetricAsync("platform_inference_requests_total{model=\"mobilenet_v2\",code=\"200\"}") >= lowCount;
        });
        Assert.True(inFlight >= 8, $"only {inFlight} requests were still queued; the test needs a backlog");
        var high = Tracked("high", new JsonObject { ["priority"] = 1 });
        await Task.WhenAll(low.Append(high));
        var finishedAfter = order.Count - 1 - order.IndexOf("high");
        // FIFO would finish it last; with priority it passes the queued backlog (all but the run in progress).
        Assert.True(finishedAfter >= 4, $"only {finishedAfter} low-priority requests finished after the high-priority one");
    }

    /// <summary>Polls a condition the server exposes only through its API.</summary>
    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, int timeoutMs = 20_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached");
            await Task.Delay(5);
        }
    }
}
