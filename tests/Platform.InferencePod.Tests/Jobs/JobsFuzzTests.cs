using System.Net;
using System.Text;
using CsCheck;
using Platform.Contracts;
using Platform.InferencePod.Pipeline;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Jobs;

/// <summary>
/// Thousands of generated job submissions (mutated infer bodies), status reads and cancellations
/// of made-up ids: none may get a 5xx, and every accepted job can be read back.
/// </summary>
public sealed class JobsFuzzTests(MlpPodFixture fixture) : IClassFixture<MlpPodFixture>
{
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "0", "1e309", "\"FP32\"", "\"BYTES\"", "\"inputs\"", "\"outputs\"",
        "\"shape\"", "\"data\"", "\"parameters\"", "{\"binary_data_size\":256}", "{\"binary_data\":true}", "{\"priority\":1}", "{\"timeout\":5}",
        "{\"binary_data_output\":true}", "[1,64]", "[0,64]", "[9,64]",
    ];
    private static readonly string[] Ids =
        ["", "x", "0123456789abcdef0123456789abcdef", "0123456789ABCDEF0123456789ABCDEF", "%20", "..%2F..%2Fmetrics", "aaaa?b=c", new string('a', 33), new string('f', 32), "ü"];

    private static string ValidBody(int rows) =>
        $$"""{"id":"j","inputs":[{"name":"input","datatype":"FP32","shape":[{{rows}},64],"data":[{{string.Join(",", Enumerable.Repeat("0.5", rows * 64))}}]}]}""";

    private sealed record Sample(int Kind, byte[] Body, string? HeaderLength, string Id);

    private static readonly Gen<Sample> Samples = Gen.Select(Gen.Int[0, 9], Gen.Int[1, 3], Gen.Int[0, 5], Gen.Int[0, int.MaxValue]).Select((kind, rows, edits, seed) =>
    {
        var random = new Random(seed);
        var bytes = JsonMutation.Mutate(ValidBody(rows), edits, random, Fragments);
        string? header = random.Next(4) switch { 0 => random.Next(bytes.Length + 20).ToString(System.Globalization.CultureInfo.InvariantCulture), 1 => "x", _ => null };
        return new Sample(kind, bytes, header, Ids[random.Next(Ids.Length)]);
    });

    [Fact]
    public async Task Thousands_of_mutated_job_requests_get_no_5xx_and_every_accepted_job_can_be_read()
    {
        var pod = fixture.Pod;
        var statuses = new Dictionary<int, int>();
        var accepted = new List<string>();
        await Samples.SampleAsync(async sample =>
        {
            HttpResponseMessage response;
            if (sample.Kind < 7)
            {
                var content = new ByteArrayContent(sample.Body);
                if (sample.HeaderLength is { } header) content.Headers.TryAddWithoutValidation(InferenceProtocol.InferenceHeaderContentLength, header);
                response = await pod.Client.PostAsync("/v2/models/mlp/jobs", content);
            }
            else
            {
                var path = "/v2/jobs/" + sample.Id;
                response = sample.Kind == 7 ? await pod.Client.GetAsync(path) : await pod.Client.DeleteAsync(path);
            }
            var status = (int)response.StatusCode;
            lock (statuses) statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            if (status >= 500) throw new Xunit.Sdk.XunitException($"{status} for kind {sample.Kind}, id '{sample.Id}', body {Encoding.UTF8.GetString(sample.Body)}: {text}");
            if (status == 202)
            {
                lock (accepted) accepted.Add(response.Headers.Location!.ToString());
            }
            else if (status != 200 && !text.StartsWith("{\"error\":", StringComparison.Ordinal))
            {
                throw new Xunit.Sdk.XunitException($"{status} without an error body: {text}");
            }
        }, iter: 2000, threads: 4);
        Assert.True(statuses.ContainsKey(202) && statuses.ContainsKey(400) && statuses.ContainsKey(404), string.Join(", ", statuses));
        foreach (var location in accepted.Take(50))
        {
            var finished = await JobRequests.WaitAsync(pod, location["/v2/jobs/".Length..]);
            Assert.Equal("succeeded", (string)finished["status"]!);
        }
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.GetAsync("/v2/health/ready")).StatusCode);
    }
}
