using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.RateLimiting;

/// <summary>Per-client quotas on a real pod, over REST and gRPC.</summary>
public sealed class RateLimitingTests
{
    private const string RateLimited = "platform_inference_rejections_total{model=\"mlp\",reason=\"rate_limited\"}";
    private const string Runs = "platform_inference_batch_size_count{model=\"mlp\"}";

    private static Task<PodServer> StartAsync(string? forwardedHeader = null)
    {
        var settings = new Dictionary<string, string?> { ["RateLimits:Limits"] = "3/min, 100/h" };
        if (forwardedHeader is not null) settings["RateLimits:ForwardedHeader"] = forwardedHeader;
        return PodServer.StartAsync(TestModels.Mlp, settings);
    }

    private static Task<HttpResponseMessage> InferAsync(PodServer pod, params (string Name, string Value)[] headers)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/v2/models/mlp/infer") { Content = JsonContent.Create(V2Requests.Json("input", [1, 64], new float[64])) };
        foreach (var (name, value) in headers) message.Headers.Add(name, value);
        return pod.Client.SendAsync(message);
    }

    private static string Header(HttpResponseMessage response, string name) => string.Join(",", response.Headers.GetValues(name));

    [Fact]
    public async Task A_client_past_its_quota_gets_429_with_retry_after_and_ratelimit_headers_before_taking_a_queue_slot()
    {
        await using var pod = await StartAsync();
        var runsBefore = await pod.MetricAsync(Runs);
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++) responses.Add(await InferAsync(pod));

        Assert.Equal([200, 200, 200, 429, 429], responses.Select(r => (int)r.StatusCode));
        Assert.All(responses, r => Assert.Equal("\"3-per-60s\";q=3;w=60, \"100-per-3600s\";q=100;w=3600", Header(r, "RateLimit-Policy")));
        Assert.Equal(["\"3-per-60s\";r=2", "\"3-per-60s\";r=1", "\"3-per-60s\";r=0;t=20"], responses.Take(3).Select(r => Header(r, "RateLimit")));
        foreach (var refused in responses.Skip(3))
        {
            Assert.Equal(TimeSpan.FromSeconds(20), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("\"3-per-60s\";r=0;t=20", Header(refused, "RateLimit"));
            Assert.Equal("rate limit exceeded: at most 3 requests per 60 s for this client; retry in 20 s",
                (string)(await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!);
        }
        Assert.Equal(2, await pod.MetricAsync(RateLimited));
        Assert.Equal(0, await pod.MetricAsync("platform_inference_rejections_total{model=\"mlp\",reason=\"queue_full\"}"));
        Assert.Equal(3, await pod.MetricAsync(Runs) - runsBefore);
        Assert.Equal(2, await pod.MetricAsync("platform_inference_requests_total{model=\"mlp\",code=\"429\"}"));

        // Health, metadata and metrics are not inference calls and stay unlimited.
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.GetAsync("/v2/models/mlp")).StatusCode);
    }

    [Fact]
    public async Task Api_keys_have_their_own_quotas_and_a_forwarded_header_is_ignored_unless_configured()
    {
        await using var pod = await StartAsync();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await InferAsync(pod)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await InferAsync(pod, ("X-Forwarded-For", "203.0.113.7"))).StatusCode);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await InferAsync(pod, ("X-Api-Key", "team-a"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await InferAsync(pod, ("X-Api-Key", "team-a"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await InferAsync(pod, ("X-Api-Key", "team-b"))).StatusCode);
    }

    [Fact]
    public async Task Behind_a_configured_proxy_header_each_first_hop_is_its_own_client()
    {
        await using var pod = await StartAsync("X-Forwarded-For");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await InferAsync(pod, ("X-Forwarded-For", $"203.0.113.7, 10.0.0.{i}"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await InferAsync(pod, ("X-Forwarded-For", "203.0.113.7"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await InferAsync(pod, ("X-Forwarded-For", "198.51.100.20"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await InferAsync(pod)).StatusCode);
    }

    [Fact]
    public async Task Grpc_calls_share_the_quota_and_are_refused_resource_exhausted()
    {
        await using var pod = await StartAsync();
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await InferAsync(pod)).StatusCode);
        var call = pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mlp", "input", [1, 64], new float[64]));
        Assert.Single((await call.ResponseAsync).Outputs);
        Assert.Equal("\"3-per-60s\";r=0;t=20", (await call.ResponseHeadersAsync).GetValue("ratelimit"));

        var refused = await Assert.ThrowsAsync<RpcException>(() => pod.Grpc.ModelInferAsync(GrpcRequests.Raw("mlp", "input", [1, 64], new float[64])).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.StartsWith("rate limit exceeded: at most 3 requests per 60 s", refused.Status.Detail);
        Assert.Equal("20", refused.Trailers.GetValue("retry-after"));
        Assert.Equal("\"3-per-60s\";r=0;t=20", refused.Trailers.GetValue("ratelimit"));
        Assert.Equal(1, await pod.MetricAsync(RateLimited));
    }
}
