using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Contracts;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests;

/// <summary>Every malformed request gets a 4xx whose message says what is wrong, and the pod stays healthy.</summary>
public sealed class BadRequestTests(MlpPodFixture fixture) : IClassFixture<MlpPodFixture>
{
    private static readonly string Floats64 = string.Join(",", Enumerable.Repeat("0.5", 64));

    public static TheoryData<string, string, int, string> JsonCases => new()
    {
        { "invalid JSON", """{"inputs": [""", 400, "not valid JSON: the JSON ends early or has an unexpected character at line 1" },
        { "empty body", "", 400, "request body is empty; send a JSON inference request" },
        { "not an object", """[1,2,3]""", 400, "must be a JSON object" },
        { "trailing garbage", $$"""{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64],"data":[{{Floats64}}]}]} x""", 400, "not valid JSON" },
        { "unknown input", """{"inputs":[{"name":"pixels","datatype":"FP32","shape":[1,64],"data":[1]}]}""", 400, "unknown input 'pixels' (the model's inputs: input)" },
        { "missing input", """{"inputs":[]}""", 400, "missing input 'input'" },
        { "no inputs at all", """{"id":"x"}""", 400, "missing input 'input'" },
        { "wrong datatype", $$"""{"inputs":[{"name":"input","datatype":"INT32","shape":[1,64],"data":[{{Floats64}}]}]}""", 400, "has datatype INT32 but the model expects FP32" },
        { "unsupported datatype", """{"inputs":[{"name":"input","datatype":"BYTES","shape":[1,64],"data":["a"]}]}""", 400, "datatype 'BYTES' is not supported" },
        { "unknown datatype", """{"inputs":[{"name":"input","datatype":"FP33","shape":[1,64],"data":[1]}]}""", 400, "datatype 'FP33' is not supported" },
        { "wrong shape", """{"inputs":[{"name":"input","datatype":"FP32","shape":[1,63],"data":[1]}]}""", 400, "has shape [1,63] but the model expects [-1,64]" },
        { "wrong rank", """{"inputs":[{"name":"input","datatype":"FP32","shape":[64],"data":[1]}]}""", 400, "has shape [64] but the model expects [-1,64]" },
        { "negative dimension", """{"inputs":[{"name":"input","datatype":"FP32","shape":[-1,64],"data":[1]}]}""", 400, "non-negative integers" },
        { "batch over the maximum", """{"inputs":[{"name":"input","datatype":"FP32","shape":[9,64],"data":[1]}]}""", 400, "batch size 9; it must be between 1 and 8, the most rows one request may hold (Batching:MaxBatchSize" },
        { "too few elements", """{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64],"data":[1,2,3]}]}""", 400, "'data' has 3 elements but shape [1,64] needs 64" },
        { "too many elements", $$"""{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64],"data":[{{Floats64}},1]}]}""", 400, "'data' has 65 elements" },
        { "a string element", $$"""{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64],"data":["a",{{Floats64[4..]}}]}]}""", 400, "data element 0 is not a valid FP32 value" },
        { "data not an array", """{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64],"data":3}]}""", 400, "'data' must be an array" },
        { "no data", """{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64]}]}""", 400, "neither 'data' nor binary_data_size" },
        { "input twice", $$"""{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64],"data":[{{Floats64}}]},{"name":"input","datatype":"FP32","shape":[1,64],"data":[{{Floats64}}]}]}""", 400, "appears more than once" },
        { "unknown output", $$"""{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64],"data":[{{Floats64}}]}],"outputs":[{"name":"probs"}]}""", 400, "unknown output 'probs'" },
        { "priority out of range", $$$"""{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64],"data":[{{{Floats64}}}]}],"parameters":{"priority":7}}""", 400, "'priority' must be an integer from 0 (default) to 2" },
        { "negative timeout", $$$"""{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64],"data":[{{{Floats64}}}]}],"parameters":{"timeout":-5}}""", 400, "'timeout' must be a non-negative integer" },
        { "binary size without binary data", """{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64],"parameters":{"binary_data_size":256}}]}""", 400, "needs 256 bytes of binary data but only 0 remain" },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public async Task Malformed_json_requests_get_a_clear_4xx(string what, string body, int status, string message)
    {
        var response = await fixture.Pod.Client.PostAsync("/v2/models/mlp/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertErrorAsync(response, status, message, what);
        await AssertStillHealthyAsync();
    }

    [Fact]
    public async Task Unknown_model_and_version_are_404()
    {
        var body = V2Requests.Json("input", [1, 64], new float[64]);
        await AssertErrorAsync(await fixture.Pod.Client.PostAsJsonAsync("/v2/models/resnet/infer", body), 404, "unknown model 'resnet'; this server serves 'mlp'", "unknown model");
        await AssertErrorAsync(await fixture.Pod.Client.PostAsJsonAsync("/v2/models/mlp/versions/9/infer", body), 404, "has no version '9'", "unknown version");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var content = new ByteArrayContent(new byte[MlpPodFixture.BodyLimit + 10]);
        await AssertErrorAsync(await fixture.Pod.Client.PostAsync("/v2/models/mlp/infer", content), 413, "exceeds the limit", "large body");
    }

    [Fact]
    public async Task Binary_header_lengths_that_disagree_with_the_body_are_400()
    {
        var json = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64],"parameters":{"binary_data_size":256}}]}""");
        async Task<HttpResponseMessage> Send(byte[] body, string headerLength)
        {
            var content = new ByteArrayContent(body);
            content.Headers.Add(InferenceProtocol.InferenceHeaderContentLength, headerLength);
            return await fixture.Pod.Client.PostAsync("/v2/models/mlp/infer", content);
        }
        await AssertErrorAsync(await Send([.. json, .. new byte[256]], "99999"), 400, "is 99999 but the body has only", "header longer than body");
        await AssertErrorAsync(await Send([.. json, .. new byte[256]], "abc"), 400, "must be one non-negative integer", "header not a number");
        await AssertErrorAsync(await Send([.. json, .. new byte[100]], json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), 400, "needs 256 bytes of binary data but only 100 remain", "short binary part");
        await AssertErrorAsync(await Send([.. json, .. new byte[300]], json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), 400, "300 bytes of binary data but the inputs declare 256", "long binary part");
        var wrongSize = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"input","datatype":"FP32","shape":[1,64],"parameters":{"binary_data_size":255}}]}""");
        await AssertErrorAsync(await Send([.. wrongSize, .. new byte[255]], wrongSize.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), 400, "binary_data_size is 255 but shape [1,64] of FP32 needs 256 bytes", "size mismatch");
        await AssertStillHealthyAsync();
    }

    [Fact]
    public async Task Bad_requests_are_counted_as_rejections()
    {
        var before = await fixture.Pod.MetricAsync("platform_inference_rejections_total{model=\"mlp\",reason=\"bad_request\"}");
        await fixture.Pod.Client.PostAsync("/v2/models/mlp/infer", new StringContent("{", Encoding.UTF8, "application/json"));
        Assert.Equal(before + 1, await fixture.Pod.MetricAsync("platform_inference_rejections_total{model=\"mlp\",reason=\"bad_request\"}"));
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, int status, string message, string what)
    {
        Assert.True((int)response.StatusCode == status, $"{what}: expected {status}, got {(int)response.StatusCode}");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        var error = body?["error"]?.ToString() ?? "";
        Assert.True(error.Contains(message, StringComparison.Ordinal), $"{what}: error '{error}' does not contain '{message}'");
    }

    private async Task AssertStillHealthyAsync()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Pod.Client.GetAsync("/v2/health/ready")).StatusCode);
        var ok = await fixture.Pod.InferJsonAsync("mlp", V2Requests.Json("input", [1, 64], new float[64]));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
