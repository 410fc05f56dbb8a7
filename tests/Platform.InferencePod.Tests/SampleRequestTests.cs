using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests;

/// <summary>The request the README and the install guide send (samples/requests/mlp.json) is one the bundled mlp answers.</summary>
public sealed class SampleRequestTests(MlpPodFixture fixture) : IClassFixture<MlpPodFixture>
{
    [Fact]
    public async Task The_sample_request_gets_one_row_of_ten_scores_from_the_bundled_mlp()
    {
        var body = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "requests", "mlp.json")))!.AsObject();

        var response = await fixture.Pod.InferJsonAsync("mlp", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var output = (await response.Content.ReadFromJsonAsync<JsonObject>())!["outputs"]![0]!;
        Assert.Equal("output", (string?)output["name"]);
        Assert.Equal([1, 10], output["shape"]!.AsArray().Select(d => (int)d!));
        Assert.Equal(10, output["data"]!.AsArray().Count);
    }
}
