using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Ready_is_503_and_inference_refused_until_warm_up_has_run()
    {
        // A long warm-up: many iterations at batch 8 of mobilenet.
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet,
            new Dictionary<string, string?> { ["Warmup:BatchSizes"] = "8", ["Warmup:Iterations"] = "40" }, waitForReady: false);
        Assert.False(pod.State.WarmedUp);
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.GetAsync("/v2/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await pod.Client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await pod.Client.GetAsync("/v2/models/mobilenet_v2/ready")).StatusCode);
        var early = await pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", V2Requests.Binary("input", [1, 3, 224, 224], new float[3 * 224 * 224]));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Contains("warming up", (await early.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.ToString());
        Assert.Equal(0, await pod.MetricAsync("platform_model_ready{model=\"mobilenet_v2\"}"));

        await pod.State.WhenWarmedUp.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(1, await pod.MetricAsync("platform_model_ready{model=\"mobilenet_v2\"}"));
    }
}
