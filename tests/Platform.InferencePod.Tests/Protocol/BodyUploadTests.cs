using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Protocol;

public sealed class BodyUploadTests
{
    [Fact]
    public async Task A_body_still_arriving_after_the_upload_bound_is_answered_408_naming_the_setting()
    {
        await using var pod = await PodServer.StartAsync(TestModels.Mlp, new Dictionary<string, string?> { ["Warmup:Iterations"] = "1", ["Server:BodyTimeoutSeconds"] = "0.5" });
        // The client announces a large body, sends its first bytes and stalls.
        var (status, body) = await PartialRequest.SendAsync(pod.Client.BaseAddress!, "/v2/models/mlp/infer", TimeSpan.FromSeconds(20));
        Assert.Equal(408, status);
        Assert.Contains("did not finish arriving within 0.5 s (Server:BodyTimeoutSeconds)", body);
        Assert.Equal(1, await pod.MetricAsync("platform_inference_requests_total{model=\"mlp\",code=\"408\"}"));
    }
}
