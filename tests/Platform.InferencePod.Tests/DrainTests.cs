using System.Net;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests;

public sealed class DrainTests
{
    [Fact]
    public async Task Sigterm_under_load_answers_every_admitted_request_then_exits_cleanly()
    {
        await using var pod = PodProcess.Start($"--Model:Path={TestModels.MobileNet}", "--Batching:MaxBatchSize=2", "--Model:IntraOpThreads=1", "--Warmup:Iterations=1", "--Server:DrainTimeoutSeconds=60");
        await pod.WaitReadyAsync(TimeSpan.FromSeconds(60));
        // Two images per request on one thread: slow enough runs that a backlog is still queued at SIGTERM.
        var image = V2Requests.RandomFloats(2 * 3 * 224 * 224, seed: 5);
        const int requests = 60;
        var load = Enumerable.Range(0, requests)
            .Select(_ => pod.Client.PostAsync("/v2/models/mobilenet_v2/infer", V2Requests.Binary("input", [2, 3, 224, 224], image)))
            .ToArray();
        // Wait until every request is admitted and a backlog is still queued, then SIGTERM.
        await AdmissionTests.WaitUntilAsync(async () =>
        {
            var text = await pod.Client.GetStringAsync("/metrics");
            var inFlight = Sample(text, "platform_inference_in_flight_requests{model=\"mobilenet_v2\"}");
            var answered = Sample(text, "platform_inference_requests_total{model=\"mobilenet_v2\",code=\"200\"}");
            return inFlight + answered >= requests && inFlight >= 4;
        });
        pod.SendSigterm();

        var responses = await Task.WhenAll(load);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(0, await pod.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Drained: every admitted request was answered", pod.Stdout);
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
