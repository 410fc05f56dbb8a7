using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests;

public sealed class DrainTests
{
    private static readonly float[] Image = V2Requests.RandomFloats(2 * 3 * 224 * 224, seed: 5);

    private static HttpContent Body() => V2Requests.Binary("input", [2, 3, 224, 224], Image);

    /// <summary>A request whose run the closed gate holds, so what follows queues; answered once the gate opens.</summary>
    private static Task<Task<HttpResponseMessage>> HoldOneAsync(PodServer pod) => pod.HoldRunAsync(() => pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", Body()));

    [Fact]
    public async Task Stopping_with_a_queued_backlog_refuses_new_work_and_answers_everything_admitted()
    {
        var gate = new RunGate();
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet, new Dictionary<string, string?> { ["Batching:MaxBatchSize"] = "2", ["Warmup:Iterations"] = "1" }, gate: gate);
        gate.Close();
        var held = await HoldOneAsync(pod);
        const int backlogCount = 8;
        var backlog = Enumerable.Range(0, backlogCount).Select(_ => pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", Body())).ToArray();
        await AdmissionTests.WaitUntilAsync(async () => await pod.MetricAsync("platform_inference_queue_depth{model=\"mobilenet_v2\"}") == backlogCount);

        var stopped = pod.App.StopAsync();
        await AdmissionTests.WaitUntilAsync(() => Task.FromResult(pod.State.Draining));
        // New work is refused: the listener is closed (Kubernetes has stopped routing here by
        // now, after the preStop sleep), or a request on an open connection gets 503.
        try
        {
            var refused = await pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", Body());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("shutting down", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.ToString());
        }
        catch (HttpRequestException)
        {
        }
        await Task.Delay(100);
        Assert.False(stopped.IsCompleted, "the host stopped with requests still queued");

        gate.Open();
        var responses = await Task.WhenAll(backlog.Append(held));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await stopped.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_drain_that_times_out_says_how_many_admitted_requests_were_answered_and_how_many_cut_off()
    {
        var gate = new RunGate();
        var logs = new LogCapture();
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet,
            new Dictionary<string, string?> { ["Batching:MaxBatchSize"] = "2", ["Warmup:Iterations"] = "1", ["Server:DrainTimeoutSeconds"] = "0.5" }, gate: gate, logs: logs);
        gate.Close();
        var held = await HoldOneAsync(pod);
        const int backlogCount = 4;
        var backlog = Enumerable.Range(0, backlogCount).Select(_ => pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", Body())).ToArray();
        await AdmissionTests.WaitUntilAsync(async () => await pod.MetricAsync("platform_inference_queue_depth{model=\"mobilenet_v2\"}") == backlogCount);

        await pod.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        // The held request counts among those admitted and cut off.
        Assert.Contains(logs.Lines, line => line.Contains("Drain timed out after 0.5 s (Server:DrainTimeoutSeconds): 0 of 5 admitted requests were answered, 5 are cut off", StringComparison.Ordinal));
        gate.Open();
        foreach (var request in backlog.Append(held))
        {
            try
            {
                await request;
            }
            catch (HttpRequestException)
            {
                // Cut off by the drain's timeout, as the log said.
            }
        }
    }

    [Fact]
    public async Task Sigterm_under_load_answers_every_admitted_request_then_exits_cleanly()
    {
        await using var pod = PodProcess.Start($"--Model:Path={TestModels.MobileNet}", "--Batching:MaxBatchSize=2", "--Model:IntraOpThreads=1", "--Warmup:Iterations=1", "--Server:DrainTimeoutSeconds=60");
        await pod.WaitReadyAsync(TimeSpan.FromSeconds(60));
        const int requests = 30;
        var load = Enumerable.Range(0, requests).Select(_ => pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", Body())).ToArray();
        // Every request admitted (answered or in flight) before the signal; how many are still
        // queued then depends on this machine's speed (the backlog case is the test above).
        await AdmissionTests.WaitUntilAsync(async () =>
        {
            var text = await pod.Client.GetStringAsync("/metrics");
            return Sample(text, "platform_inference_in_flight_requests{model=\"mobilenet_v2\"}")
                + Sample(text, "platform_inference_requests_total{model=\"mobilenet_v2\",code=\"200\"}") >= requests;
        });
        pod.SendSigterm();

        var responses = await Task.WhenAll(load);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(0, await pod.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Matches(@"Drained in [0-9.]+ s: all [0-9]+ admitted requests were answered", pod.Stdout);
    }

    private static double Sample(string text, string name)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal)) return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
        return 0;
    }
}
