using System.Net;
using System.Text;
using CsCheck;
using Platform.Contracts;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests;

/// <summary>
/// Thousands of generated, mutated requests against a running pod: none may get a 5xx or
/// break the server.
/// </summary>
public sealed class FuzzTests(MlpPodFixture fixture) : IClassFixture<MlpPodFixture>
{
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "0", "1e309", "\"FP32\"", "\"INT64\"", "\"BOOL\"", "\"BYTES\"",
        "\"inputs\"", "\"outputs\"", "\"shape\"", "\"data\"", "\"datatype\"", "\"name\"", "\"input\"", "\"output\"",
        "\"parameters\"", "{\"binary_data_size\":256}", "{\"binary_data\":true}", "{\"priority\":1}", "{\"timeout\":5}", "[1,64]", "[0,64]", "[2,64]",
        "[[1,2],[3]]", "9999999999999999999", "\"\\u0000\"", "NaN",
    ];

    private static string ValidBody(int rows) =>
        $$"""{"id":"f","inputs":[{"name":"input","datatype":"FP32","shape":[{{rows}},64],"data":[{{string.Join(",", Enumerable.Repeat("0.25", rows * 64))}}]}],"outputs":[{"name":"output"}]}""";

    /// <summary>A valid body with a few random edits: deletions, insertions of protocol fragments, byte flips, truncation.</summary>
    private static readonly Gen<(byte[] Body, int? HeaderLength, int Extra)> Mutated =
        Gen.Select(Gen.Int[1, 3], Gen.Int[0, 6], Gen.Int[0, int.MaxValue], Gen.Int[0, 4], Gen.Int[-4, 300])
            .Select((rows, edits, seed, headerMode, extra) =>
            {
                var random = new Random(seed);
                var bytes = JsonMutation.Mutate(ValidBody(rows), edits, random, Fragments);
                int? header = headerMode switch
                {
                    0 => bytes.Length,
                    1 => Math.Max(0, bytes.Length + extra),
                    2 => random.Next(bytes.Length + 1),
                    _ => null,
                };
                var binary = new byte[Math.Max(0, extra)];
                random.NextBytes(binary);
                return (headerMode == 3 ? bytes : [.. bytes, .. binary], header, extra);
            });

    [Fact]
    public async Task Thousands_of_mutated_requests_get_no_5xx_and_the_pod_stays_healthy()
    {
        var pod = fixture.Pod;
        var statuses = new Dictionary<int, int>();
        await Mutated.SampleAsync(async sample =>
        {
            var content = new ByteArrayContent(sample.Body);
            if (sample.HeaderLength is { } length)
                content.Headers.Add(InferenceProtocol.InferenceHeaderContentLength, length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var response = await pod.Client.PostAsync("/v2/models/mlp/infer", content);
            var status = (int)response.StatusCode;
            lock (statuses) statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500) throw new Xunit.Sdk.XunitException($"{status} for body: {Encoding.UTF8.GetString(sample.Body)}: {await response.Content.ReadAsStringAsync()}");
            if (status != 200)
            {
                var text = await response.Content.ReadAsStringAsync();
                if (!text.StartsWith("{\"error\":", StringComparison.Ordinal)) throw new Xunit.Sdk.XunitException($"{status} without an error body: {text}");
            }
        }, iter: 3000, threads: 4);
        Assert.True(statuses.Keys.Count > 1, "the generator should produce both valid and invalid requests");
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pod.InferJsonAsync("mlp", V2Requests.Json("input", [1, 64], new float[64]))).StatusCode);
    }
}
