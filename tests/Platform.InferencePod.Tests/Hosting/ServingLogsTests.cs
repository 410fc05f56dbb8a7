using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Hosting;

/// <summary>The pod's own process logs as a server should: structured when asked, no line per request.</summary>
public sealed class ServingLogsTests
{
    [Fact]
    public async Task With_json_logs_every_line_is_one_object_and_requests_write_none()
    {
        await using var pod = PodProcess.Start($"--Model:Path={TestModels.Mlp}", "--Warmup:Iterations=1", "--Server:LogFormat=json");
        await pod.WaitReadyAsync(TimeSpan.FromSeconds(60));
        var before = Lines(pod.Stdout).Length;
        for (var i = 0; i < 20; i++)
        {
            var response = await pod.Client.PostAsJsonAsync("/v2/models/mlp/infer", V2Requests.Json("input", [1, 64], new float[64]));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Task.Delay(200);

        var lines = Lines(pod.Stdout);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        Assert.All(entries, e => Assert.True(e.TryGetProperty("Category", out _) && e.TryGetProperty("Message", out _), e.ToString()));
        Assert.Contains(entries, e => e.GetProperty("Message").GetString()!.Contains("warmed up", StringComparison.Ordinal));
        // appsettings.json keeps ASP.NET Core's per-request lines off: the pod's own warm-up
        // requests and these 20 wrote nothing.
        Assert.DoesNotContain(entries, e => e.GetProperty("Category").GetString()!.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal));
        Assert.Equal(before, lines.Length);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
