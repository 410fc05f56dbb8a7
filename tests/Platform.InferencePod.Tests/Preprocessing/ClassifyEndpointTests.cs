using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Preprocessing;

/// <summary>Images in, labels out, over HTTP on a real mobilenet_v2 pod, checked against a direct ONNX Runtime run.</summary>
public sealed class ClassifyEndpointTests(ClassifierPodFixture fixture) : IClassFixture<ClassifierPodFixture>
{
    private const string Path = "/v2/models/mobilenet_v2/classify";
    private PodServer Pod => fixture.Pod;

    private async Task<JsonNode> ClassifyAsync(HttpContent content, string query = "")
    {
        var response = await Pod.Client.PostAsync(Path + query, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.Equal("mobilenet_v2", (string)body["model_name"]!);
        return body;
    }

    [Fact]
    public async Task A_png_is_classified_as_a_direct_run_on_the_same_preprocessed_tensor_would()
    {
        var pixels = TestImages.Pixels(320, 240, seed: 1);
        var body = await ClassifyAsync(ClassifyRequests.Raw(TestImages.Png(pixels, 320, 240)));
        ExpectedClassification.AssertMatches(ExpectedClassification.Probabilities((pixels, 320, 240))[0], body["results"]![0]!, k: 5);
    }

    [Fact]
    public async Task A_jpeg_is_classified_from_its_decoded_pixels()
    {
        var jpeg = TestImages.Jpeg(200, 260, seed: 2);
        var body = await ClassifyAsync(ClassifyRequests.Raw(jpeg, "image/jpeg"), "?top_k=3");
        ExpectedClassification.AssertMatches(ExpectedClassification.Probabilities(TestImages.Decode(jpeg))[0], body["results"]![0]!, k: 3);
    }

    [Fact]
    public async Task A_multipart_upload_answers_as_the_raw_image_does()
    {
        var png = TestImages.Png(100, 90, seed: 3);
        var raw = await ClassifyAsync(ClassifyRequests.Raw(png));
        var multipart = await ClassifyAsync(ClassifyRequests.Multipart(png));
        Assert.Equal(raw["results"]!.ToJsonString(), multipart["results"]!.ToJsonString());
    }

    [Fact]
    public async Task Several_images_in_a_V2_bytes_input_get_one_result_each_in_json_and_binary_form()
    {
        var first = TestImages.Pixels(64, 48, seed: 4);
        var second = TestImages.Pixels(48, 80, seed: 5);
        byte[][] images = [TestImages.Png(first, 64, 48), TestImages.Png(second, 48, 80)];
        var expected = ExpectedClassification.Probabilities((first, 64, 48), (second, 48, 80));

        var json = await ClassifyAsync(ClassifyRequests.V2Json(images), "?top_k=2");
        Assert.Equal("batch-1", (string)json["id"]!);
        Assert.Equal(2, json["results"]!.AsArray().Count);
        for (var i = 0; i < 2; i++) ExpectedClassification.AssertMatches(expected[i], json["results"]![i]!, k: 2);

        var binary = await ClassifyAsync(ClassifyRequests.V2Binary(images), "?top_k=2");
        Assert.Equal(json["results"]!.ToJsonString(), binary["results"]!.ToJsonString());
    }

    [Fact]
    public async Task Classify_requests_are_counted_and_their_preprocessing_timed()
    {
        var before = await Pod.MetricAsync("platform_inference_preprocess_duration_seconds_count{model=\"mobilenet_v2\"}");
        var answered = await Pod.MetricAsync("platform_inference_requests_total{model=\"mobilenet_v2\",code=\"200\"}");
        await ClassifyAsync(ClassifyRequests.Raw(TestImages.Png(30, 30, seed: 6)));
        Assert.Equal(before + 1, await Pod.MetricAsync("platform_inference_preprocess_duration_seconds_count{model=\"mobilenet_v2\"}"));
        Assert.Equal(answered + 1, await Pod.MetricAsync("platform_inference_requests_total{model=\"mobilenet_v2\",code=\"200\"}"));
    }

    [Fact]
    public async Task The_same_image_again_is_ranked_from_the_cache_without_a_model_run()
    {
        var png = TestImages.Png(50, 70, seed: 12);
        var first = await ClassifyAsync(ClassifyRequests.Raw(png), "?top_k=4");
        var hits = await Pod.MetricAsync("platform_inference_cache_requests_total{model=\"mobilenet_v2\",result=\"hit\"}");
        var runs = await Pod.MetricAsync("platform_inference_batch_size_count{model=\"mobilenet_v2\"}");
        var second = await ClassifyAsync(ClassifyRequests.Multipart(png), "?top_k=4");
        Assert.Equal(first["results"]!.ToJsonString(), second["results"]!.ToJsonString());
        Assert.Equal(hits + 1, await Pod.MetricAsync("platform_inference_cache_requests_total{model=\"mobilenet_v2\",result=\"hit\"}"));
        Assert.Equal(runs, await Pod.MetricAsync("platform_inference_batch_size_count{model=\"mobilenet_v2\"}"));
    }

    public static TheoryData<string, Func<HttpContent>, string, int, string> BadRequests => new()
    {
        { "text body", () => new StringContent("a cat", Encoding.UTF8, "text/plain"), "", 415, "Content-Type 'text/plain' is not accepted" },
        { "no content type", () => new ByteArrayContent(TestImages.Png(8, 8, 1)), "", 415, "Content-Type header is required" },
        { "png content type, text inside", () => ClassifyRequests.Raw("not an image"u8.ToArray()), "", 400, "not a PNG or JPEG image" },
        { "truncated png", () => ClassifyRequests.Raw(TestImages.Png(64, 64, 2)[..70]), "", 400, "corrupt PNG" },
        { "too many pixels", () => ClassifyRequests.Raw(TestImages.Png(1001, 1000, 3)), "", 413, "1001x1000 = 1001000 pixels, above the limit of 1000000" },
        { "top_k zero", () => ClassifyRequests.Raw(TestImages.Png(8, 8, 4)), "?top_k=0", 400, "top_k must be one integer from 1 to 1000" },
        { "top_k too large", () => ClassifyRequests.Raw(TestImages.Png(8, 8, 4)), "?top_k=1001", 400, "top_k must be one integer from 1 to 1000" },
        { "top_k not a number", () => ClassifyRequests.Raw(TestImages.Png(8, 8, 4)), "?top_k=five", 400, "top_k" },
        { "multipart without boundary", () => { var c = new ByteArrayContent("x"u8.ToArray()); c.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data"); return c; }, "", 400, "boundary" },
        { "multipart without a file part", () => new MultipartFormDataContent { { new StringContent("hello"), "note" } }, "", 400, "has no image part" },
        { "multipart with a text file part", () => ClassifyRequests.Multipart("hi"u8.ToArray(), "a.txt", "text/plain"), "", 415, "multipart file part has Content-Type 'text/plain'" },
        { "multipart truncated", () => Truncated(ClassifyRequests.Multipart(TestImages.Png(16, 16, 5))), "", 400, "truncated or malformed" },
        { "V2 with a tensor input", () => new StringContent("""{"inputs":[{"name":"input","datatype":"FP32","shape":[1],"data":[1]}]}""", Encoding.UTF8, "application/json"), "", 400, "BYTES input, not FP32" },
        { "V2 with bad base64", () => new StringContent("""{"inputs":[{"name":"image","datatype":"BYTES","shape":[1],"data":["!!!"]}]}""", Encoding.UTF8, "application/json"), "", 400, "not valid base64" },
        { "V2 with too many images", () => ClassifyRequests.V2Json(Enumerable.Repeat(TestImages.Png(4, 4, 6), 5).ToArray()), "", 400, "has 5 images; it must be between 1 and 4" },
        { "V2 shape disagreeing with data", () => new StringContent("""{"inputs":[{"name":"image","datatype":"BYTES","shape":[2],"data":["AAAA"]}]}""", Encoding.UTF8, "application/json"), "", 400, "says 2 images but it holds 1" },
        { "V2 binary element overrunning", () => TruncatedBinary(), "", 400, "binary_data_size" },
        { "V2 with a corrupt second image", () => ClassifyRequests.V2Json(TestImages.Png(8, 8, 7), "junk"u8.ToArray()), "", 400, "image 2 of 2 is not a PNG or JPEG image" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_get_a_clear_4xx_and_leave_the_pod_serving(string name, Func<HttpContent> content, string query, int status, string message)
    {
        var response = await Pod.Client.PostAsync(Path + query, content());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{name}: expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Contains(message, JsonNode.Parse(body)!["error"]!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await Pod.Client.PostAsync(Path, ClassifyRequests.Raw(TestImages.Png(8, 8, 9)))).StatusCode);
    }

    [Fact]
    public async Task An_unknown_model_or_version_is_404()
    {
        var unknown = await Pod.Client.PostAsync("/v2/models/resnet/classify", ClassifyRequests.Raw(TestImages.Png(8, 8, 1)));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var version = await Pod.Client.PostAsync("/v2/models/mobilenet_v2/versions/7/classify", ClassifyRequests.Raw(TestImages.Png(8, 8, 1)));
        Assert.Equal(HttpStatusCode.NotFound, version.StatusCode);
        Assert.Contains("no version '7'", (await version.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.ToString());
        var served = await Pod.Client.PostAsync("/v2/models/mobilenet_v2/versions/1/classify", ClassifyRequests.Raw(TestImages.Png(8, 8, 1)));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    private static HttpContent Truncated(HttpContent content)
    {
        var bytes = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var cut = new ByteArrayContent(bytes[..(bytes.Length - 30)]);
        cut.Headers.TryAddWithoutValidation("Content-Type", content.Headers.ContentType!.ToString());
        return cut;
    }

    private static HttpContent TruncatedBinary()
    {
        var content = ClassifyRequests.V2Binary(TestImages.Png(8, 8, 8));
        var bytes = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var cut = new ByteArrayContent(bytes[..^5]);
        foreach (var header in content.Headers) cut.Headers.TryAddWithoutValidation(header.Key, header.Value);
        cut.Headers.ContentLength = null;
        return cut;
    }
}

/// <summary>A pod served without image settings refuses classify with a clear 404.</summary>
public sealed class ClassifyWithoutPreprocessingTests(MlpPodFixture fixture) : IClassFixture<MlpPodFixture>
{
    [Fact]
    public async Task Classify_on_a_model_without_image_settings_is_404_saying_so()
    {
        var response = await fixture.Pod.Client.PostAsync("/v2/models/mlp/classify", ClassifyRequests.Raw(TestImages.Png(8, 8, 1)));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("does not classify images", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.ToString());
    }
}
