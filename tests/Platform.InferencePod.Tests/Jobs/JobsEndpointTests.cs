using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Jobs;

/// <summary>Asynchronous jobs over HTTP on a real mlp pod: submit, follow, read the result; bad input and unknown ids.</summary>
public sealed class JobsEndpointTests(MlpPodFixture fixture) : IClassFixture<MlpPodFixture>
{
    private PodServer Pod => fixture.Pod;

    [Fact]
    public async Task A_job_answers_202_at_once_and_later_holds_the_infer_response()
    {
        var data = V2Requests.RandomFloats(2 * 64, seed: 21);
        var body = V2Requests.Json("input", [2, 64], data, id: "job-1");
        var submitted = await JobRequests.SubmitAsync(Pod, "mlp", JsonContent.Create(body));
        Assert.Equal("mlp", (string)submitted["model_name"]!);
        Assert.Contains((string)submitted["status"]!, new[] { "queued", "running", "succeeded" });

        var finished = await JobRequests.WaitAsync(Pod, (string)submitted["id"]!);
        Assert.Equal("succeeded", (string)finished["status"]!);
        var result = finished["result"]!;
        var infer = await (await Pod.InferJsonAsync("mlp", body)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(infer!.ToJsonString(), result.ToJsonString());
        DirectRun.AssertClose(DirectRun.Run(TestModels.Mlp, "input", [2, 64], data), V2Requests.JsonOutput(result));
        Assert.NotNull(finished["finished_at"]);
    }

    [Fact]
    public async Task A_job_with_binary_inputs_is_accepted_and_its_outputs_come_back_as_json()
    {
        var data = V2Requests.RandomFloats(64, seed: 22);
        var submitted = await JobRequests.SubmitAsync(Pod, "mlp", V2Requests.Binary("input", [1, 64], data, binaryOutputs: false));
        var finished = await JobRequests.WaitAsync(Pod, (string)submitted["id"]!);
        DirectRun.AssertClose(DirectRun.Run(TestModels.Mlp, "input", [1, 64], data), V2Requests.JsonOutput(finished["result"]!));
    }

    [Fact]
    public async Task Jobs_are_counted_by_outcome()
    {
        var before = await Pod.MetricAsync("platform_inference_jobs_total{model=\"mlp\",status=\"succeeded\"}");
        var submitted = await JobRequests.SubmitAsync(Pod, "mlp", JsonContent.Create(V2Requests.Json("input", [1, 64], new float[64])));
        await JobRequests.WaitAsync(Pod, (string)submitted["id"]!);
        Assert.Equal(before + 1, await Pod.MetricAsync("platform_inference_jobs_total{model=\"mlp\",status=\"succeeded\"}"));
    }

    public static TheoryData<string, string, Func<HttpContent>, int, string> BadSubmissions => new()
    {
        { "not json", "mlp", () => new StringContent("{nope", Encoding.UTF8, "application/json"), 400, "not valid JSON" },
        { "wrong shape", "mlp", () => JsonContent.Create(V2Requests.Json("input", [1, 63], new float[63])), 400, "has shape [1,63] but the model expects [-1,64]" },
        { "binary outputs", "mlp", () => V2Requests.Binary("input", [1, 64], new float[64]), 400, "a job's result is JSON" },
        { "unknown model", "resnet", () => JsonContent.Create(V2Requests.Json("input", [1, 64], new float[64])), 404, "unknown model 'resnet'" },
        { "too large", "mlp", () => new ByteArrayContent(new byte[MlpPodFixture.BodyLimit + 1]), 413, "exceeds the limit" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task A_bad_submission_is_refused_like_a_bad_infer_request(string name, string model, Func<HttpContent> body, int status, string message)
    {
        var response = await Pod.Client.PostAsync($"/v2/models/{model}/jobs", body());
        Assert.True((int)response.StatusCode == status, $"{name}: {(int)response.StatusCode}");
        Assert.Contains(message, await JobRequests.ErrorAsync(response));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("not-a-job")]
    [InlineData("%2e%2e%2fmetrics")]
    public async Task An_unknown_job_is_a_404_that_says_why_it_may_be_missing(string id)
    {
        var get = await Pod.Client.GetAsync($"/v2/jobs/{id}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        var message = await JobRequests.ErrorAsync(get);
        Assert.Contains("no job", message);
        Assert.Contains("another replica accepted it", message);
        var delete = await Pod.Client.DeleteAsync($"/v2/jobs/{id}");
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
    }

    [Fact]
    public async Task A_finished_job_cannot_be_cancelled()
    {
        var submitted = await JobRequests.SubmitAsync(Pod, "mlp", JsonContent.Create(V2Requests.Json("input", [1, 64], new float[64])));
        var id = (string)submitted["id"]!;
        await JobRequests.WaitAsync(Pod, id);
        var delete = await Pod.Client.DeleteAsync($"/v2/jobs/{id}");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("has already finished (succeeded)", await JobRequests.ErrorAsync(delete));
    }
}

/// <summary>A pod with jobs switched off says so.</summary>
public sealed class DisabledJobsTests
{
    [Fact]
    public async Task Job_endpoints_answer_404_naming_the_setting()
    {
        await using var pod = await PodServer.StartAsync(TestModels.Mlp, new Dictionary<string, string?> { ["Jobs:Enabled"] = "false", ["Warmup:Iterations"] = "1" });
        var response = await pod.Client.PostAsync("/v2/models/mlp/jobs", JsonContent.Create(V2Requests.Json("input", [1, 64], new float[64])));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Jobs:Enabled", await JobRequests.ErrorAsync(response));
        Assert.Equal(HttpStatusCode.NotFound, (await pod.Client.GetAsync($"/v2/jobs/{new string('a', 32)}")).StatusCode);
    }
}
