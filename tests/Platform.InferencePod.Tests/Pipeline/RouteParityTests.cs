using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Jobs;
using Platform.InferencePod.Tests.Preprocessing;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Pipeline;

/// <summary>
/// Every inference route (REST infer, gRPC ModelInfer, classify, jobs) goes through the one
/// pipeline: the same client quotas, the same refusal before the body is decoded, the same
/// deadlines, answered in each protocol's terms.
/// </summary>
public sealed class RouteParityTests
{
    private const string Model = "mobilenet_v2";
    private const string KeyHeader = "X-Api-Key";
    private static readonly float[] Image = V2Requests.RandomFloats(3 * 224 * 224, seed: 21);
    private static readonly byte[] Png = TestImages.Png(48, 40, seed: 3);

    public enum Route { Infer, Grpc, Classify, Jobs }

    public static TheoryData<Route> Routes => new() { Route.Infer, Route.Grpc, Route.Classify, Route.Jobs };

    /// <summary>A classifying mobilenet_v2 pod with jobs and no response cache (a cache would answer before the queue).</summary>
    private static Task<PodServer> StartAsync(Dictionary<string, string?> more, RunGate? gate = null)
    {
        var settings = ClassifierPodFixture.Settings(more);
        settings["Cache:Enabled"] = "false";
        settings["Jobs:Enabled"] = "true";
        return PodServer.StartAsync(TestModels.MobileNet, settings, gate: gate);
    }

    /// <summary>An infer request whose run the closed gate holds, so the loop is busy and what comes next queues; answered once the gate opens.</summary>
    private static Task<Task<HttpResponseMessage>> HoldOneAsync(PodServer pod) =>
        pod.HoldRunAsync(() => pod.Client.PostAsync($"/v2/models/{Model}/infer", V2Requests.Binary("input", [1, 3, 224, 224], Image)));

    /// <summary>Calls the route once; the status as HTTP would say it (gRPC's mapped back), the error text, and the response.</summary>
    private static async Task<(HttpStatusCode Status, string Error, HttpResponseMessage? Response)> CallAsync(PodServer pod, Route route, string? key = null)
    {
        if (route == Route.Grpc)
        {
            var headers = new Metadata();
            if (key is not null) headers.Add(KeyHeader.ToLowerInvariant(), key);
            try
            {
                await pod.Grpc.ModelInferAsync(GrpcRequests.Raw(Model, "input", [1, 3, 224, 224], Image), headers);
                return (HttpStatusCode.OK, "", null);
            }
            catch (RpcException e)
            {
                var status = e.StatusCode switch
                {
                    StatusCode.ResourceExhausted => HttpStatusCode.TooManyRequests,
                    StatusCode.DeadlineExceeded => HttpStatusCode.GatewayTimeout,
                    StatusCode.Unavailable => HttpStatusCode.ServiceUnavailable,
                    _ => HttpStatusCode.InternalServerError,
                };
                return (status, e.Status.Detail, null);
            }
        }
        using var message = new HttpRequestMessage(HttpMethod.Post, route switch
        {
            Route.Infer => $"/v2/models/{Model}/infer",
            Route.Classify => $"/v2/models/{Model}/classify",
            _ => $"/v2/models/{Model}/jobs",
        })
        {
            Content = route switch
            {
                Route.Infer => V2Requests.Binary("input", [1, 3, 224, 224], Image),
                Route.Classify => ClassifyRequests.Raw(Png),
                _ => V2Requests.Binary("input", [1, 3, 224, 224], Image, binaryOutputs: false),
            },
        };
        if (key is not null) message.Headers.Add(KeyHeader, key);
        var response = await pod.Client.SendAsync(message);
        var error = response.IsSuccessStatusCode ? "" : (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.ToString();
        return (response.StatusCode, error, response);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_takes_from_the_clients_quota_and_refuses_past_it(Route route)
    {
        await using var pod = await StartAsync(new() { ["RateLimits:Limits"] = "1/min", ["RateLimits:ApiKeyHeader"] = KeyHeader });
        var first = await CallAsync(pod, route, key: "client-a");
        Assert.True(first.Status is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{first.Status}: {first.Error}");
        var second = await CallAsync(pod, route, key: "client-a");
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.Contains("rate limit exceeded", second.Error);
        if (second.Response is { } response) Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        // Another client has its own quota.
        var other = await CallAsync(pod, route, key: "client-b");
        Assert.True(other.Status is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{other.Status}: {other.Error}");
        Assert.Equal(1, await pod.MetricAsync($"platform_inference_rejections_total{{model=\"{Model}\",reason=\"rate_limited\"}}"));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_is_refused_at_once_when_the_queue_is_full(Route route)
    {
        var gate = new RunGate();
        await using var pod = await StartAsync(new() { ["Queue:Capacity"] = "1" }, gate);
        gate.Close();
        var held = await HoldOneAsync(pod);
        var queued = pod.Client.PostAsync($"/v2/models/{Model}/infer", V2Requests.Binary("input", [1, 3, 224, 224], Image));
        await AdmissionTests.WaitUntilAsync(async () => await pod.MetricAsync($"platform_inference_queue_depth{{model=\"{Model}\"}}") == 1);

        var refused = await CallAsync(pod, route);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("queue is full", refused.Error);
        Assert.Equal(1, await pod.MetricAsync($"platform_inference_rejections_total{{model=\"{Model}\",reason=\"queue_full\"}}"));
        gate.Open();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await queued).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_drops_a_request_that_waits_past_its_deadline_before_compute(Route route)
    {
        var gate = new RunGate();
        await using var pod = await StartAsync(new() { ["Queue:DefaultTimeoutMs"] = "300", ["Jobs:QueueTimeoutSeconds"] = "0.3" }, gate);
        gate.Close();
        // Claimed by the loop before its own 300 ms pass, the held request is computed once the gate opens.
        var held = await HoldOneAsync(pod);
        var result = await CallAsync(pod, route);
        if (route == Route.Jobs)
        {
            // A job is accepted and answered later: it fails with the same deadline error.
            Assert.Equal(HttpStatusCode.Accepted, result.Status);
            var id = (string)(await result.Response!.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
            var document = await JobRequests.WaitAsync(pod, id);
            Assert.Equal("failed", (string)document["status"]!);
            Assert.Equal(504, (int)document["error"]!["code"]!);
        }
        else
        {
            Assert.Equal(HttpStatusCode.GatewayTimeout, result.Status);
            Assert.Contains("deadline", result.Error);
        }
        Assert.Equal(1, await pod.MetricAsync($"platform_inference_rejections_total{{model=\"{Model}\",reason=\"deadline\"}}"));
        Assert.Equal(0, await pod.MetricAsync($"platform_inference_batch_size_count{{model=\"{Model}\"}}"));
        gate.Open();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        // The held request is the only one ever computed.
        await AdmissionTests.WaitUntilAsync(async () => await pod.MetricAsync($"platform_inference_batch_size_count{{model=\"{Model}\"}}") >= 1);
        Assert.Equal(1, await pod.MetricAsync($"platform_inference_batch_size_count{{model=\"{Model}\"}}"));
    }
}
