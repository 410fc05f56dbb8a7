using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests;

public sealed class InferenceTests
{
    [Fact]
    public async Task Json_outputs_equal_a_direct_run_and_echo_the_id()
    {
        await using var pod = await PodServer.StartAsync(TestModels.Mlp);
        var data = V2Requests.RandomFloats(3 * 64, seed: 1);
        var response = await pod.InferJsonAsync("mlp", V2Requests.Json("input", [3, 64], data, id: "req-7"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("req-7", (string?)body["id"]);
        Assert.Equal("mlp", (string?)body["model_name"]);
        Assert.Equal("[3,10]", body["outputs"]![0]!["shape"]!.ToJsonString());
        Assert.Equal("FP32", (string?)body["outputs"]![0]!["datatype"]);
        DirectRun.AssertClose(DirectRun.Run(TestModels.Mlp, "input", [3, 64], data), V2Requests.JsonOutput(body));
    }

    [Fact]
    public async Task Nested_data_is_accepted_like_flat_data()
    {
        await using var pod = await PodServer.StartAsync(TestModels.Mlp);
        var data = V2Requests.RandomFloats(2 * 64, seed: 2);
        var nested = V2Requests.Json("input", [2, 64], data);
        nested["inputs"]![0]!["data"] = new JsonArray(
            new JsonArray(data.Take(64).Select(v => (JsonNode)v).ToArray()),
            new JsonArray(data.Skip(64).Select(v => (JsonNode)v).ToArray()));
        var response = await pod.InferJsonAsync("mlp", nested);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        DirectRun.AssertClose(DirectRun.Run(TestModels.Mlp, "input", [2, 64], data), V2Requests.JsonOutput(body));
    }

    [Fact]
    public async Task Binary_request_and_response_equal_a_direct_run()
    {
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet);
        var data = V2Requests.RandomFloats(3 * 224 * 224, seed: 3);
        var response = await pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", V2Requests.Binary("input", [1, 3, 224, 224], data));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (header, output) = await V2Requests.ReadBinaryAsync(response);
        Assert.Equal("[1,1000]", header["outputs"]![0]!["shape"]!.ToJsonString());
        // Random weights give tiny logits: compare relative to the largest magnitude.
        DirectRun.AssertClose(DirectRun.Run(TestModels.MobileNet, "input", [1, 3, 224, 224], data), output, relative: 1e-3);
    }

    [Fact]
    public async Task Binary_output_can_be_asked_per_output_in_a_json_request()
    {
        await using var pod = await PodServer.StartAsync(TestModels.Mlp);
        var data = V2Requests.RandomFloats(64, seed: 4);
        var request = V2Requests.Json("input", [1, 64], data);
        request["outputs"] = new JsonArray(new JsonObject { ["name"] = "output", ["parameters"] = new JsonObject { ["binary_data"] = true } });
        var response = await pod.InferJsonAsync("mlp", request);
        var (_, output) = await V2Requests.ReadBinaryAsync(response);
        DirectRun.AssertClose(DirectRun.Run(TestModels.Mlp, "input", [1, 64], data), output);
    }

    [Fact]
    public async Task Concurrent_requests_are_stacked_into_batches_and_answered_correctly()
    {
        // A run held at the gate blocks the batch loop until all 24 are queued, so their batches are exactly 3 × 8.
        var gate = new RunGate();
        await using var pod = await PodServer.StartAsync(TestModels.MobileNet, new Dictionary<string, string?> { ["Batching:MaxBatchSize"] = "8" }, gate: gate);
        gate.Close();
        var held = await pod.HoldRunAsync(() => pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", V2Requests.Binary("input", [1, 3, 224, 224], V2Requests.RandomFloats(3 * 224 * 224, seed: 99))));
        var runsBefore = await pod.MetricAsync("platform_inference_batch_size_count{model=\"mobilenet_v2\"}");
        var rowsBefore = await pod.MetricAsync("platform_inference_batch_size_sum{model=\"mobilenet_v2\"}");
        const int requests = 24;
        var inputs = Enumerable.Range(0, requests).Select(i => V2Requests.RandomFloats(3 * 224 * 224, seed: 100 + i)).ToArray();
        var pending = inputs.Select(data => pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", V2Requests.Binary("input", [1, 3, 224, 224], data))).ToArray();
        await AdmissionTests.WaitUntilAsync(async () => await pod.MetricAsync("platform_inference_queue_depth{model=\"mobilenet_v2\"}") == requests);
        gate.Open();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        var responses = await Task.WhenAll(pending);
        for (var i = 0; i < requests; i++)
        {
            Assert.Equal(HttpStatusCode.OK, responses[i].StatusCode);
            var (_, output) = await V2Requests.ReadBinaryAsync(responses[i]);
            DirectRun.AssertClose(DirectRun.Run(TestModels.MobileNet, "input", [1, 3, 224, 224], inputs[i]), output, relative: 1e-3);
        }
        var runs = await pod.MetricAsync("platform_inference_batch_size_count{model=\"mobilenet_v2\"}") - runsBefore;
        var rows = await pod.MetricAsync("platform_inference_batch_size_sum{model=\"mobilenet_v2\"}") - rowsBefore;
        // Less the held request's one row and one run.
        Assert.Equal(requests, rows - 1);
        Assert.Equal(requests / 8, runs - 1);
    }

    [Fact]
    public async Task Metadata_and_health_endpoints_follow_the_protocol()
    {
        await using var pod = await PodServer.StartAsync(TestModels.Mlp);
        var server = (await pod.Client.GetFromJsonAsync<JsonObject>("/v2"))!;
        Assert.Contains("binary_tensor_data", server["extensions"]!.AsArray().Select(e => (string?)e));
        var model = (await pod.Client.GetFromJsonAsync<JsonObject>("/v2/models/mlp"))!;
        Assert.Equal("""[{"name":"input","datatype":"FP32","shape":[-1,64]}]""", model["inputs"]!.ToJsonString());
        Assert.Equal("""[{"name":"output","datatype":"FP32","shape":[-1,10]}]""", model["outputs"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.GetAsync("/v2/models/mlp/versions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.GetAsync("/v2/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.GetAsync("/v2/models/mlp/ready")).StatusCode);
        var unknown = await pod.Client.GetAsync("/v2/models/resnet/ready");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("unknown model 'resnet'", (await unknown.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await pod.Client.GetAsync("/v2/models/mlp/versions/2")).StatusCode);
        var versioned = await pod.Client.PostAsJsonAsync("/v2/models/mlp/versions/1/infer", V2Requests.Json("input", [1, 64], new float[64]));
        Assert.Equal(HttpStatusCode.OK, versioned.StatusCode);
    }
}
