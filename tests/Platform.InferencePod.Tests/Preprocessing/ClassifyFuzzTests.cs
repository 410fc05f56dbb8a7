using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CsCheck;
using Platform.Contracts;
using Platform.InferencePod.RateLimiting;

namespace Platform.InferencePod.Tests.Preprocessing;

/// <summary>
/// Hundreds of generated, damaged classify requests in every form the endpoint takes (raw image,
/// multipart, V2 BYTES in JSON and binary): none may get a 5xx or break the server.
/// </summary>
public sealed class ClassifyFuzzTests(ClassifierPodFixture fixture) : IClassFixture<ClassifierPodFixture>
{
    private static readonly string[] ContentTypes =
        ["image/png", "image/jpeg", "application/octet-stream", "text/plain", "image/gif", "application/json", "multipart/form-data", "", "image/png; charset=utf-8", "\u0001/\u0002"];
    private static readonly string[] Queries = ["", "?top_k=1", "?top_k=5", "?top_k=0", "?top_k=-3", "?top_k=1000", "?top_k=x", "?top_k=1&top_k=2", "?top_k=99999999999"];
    private static readonly string[] JsonFragments = ["{", "}", "[", "]", ",", ":", "\"", "null", "0", "-1", "\"BYTES\"", "\"FP32\"", "\"data\"", "\"shape\"", "[2]", "[0]", "\"AAAA\"", "{\"binary_data_size\":9}", "{\"priority\":1}"];

    private sealed record Sample(string Form, byte[] Body, string ContentType, string? HeaderLength, string Query);

    private static byte[] Damage(byte[] data, Random random)
    {
        var bytes = data.ToList();
        for (var e = random.Next(0, 5); e > 0 && bytes.Count > 0; e--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes.RemoveRange(at, Math.Min(random.Next(1, 16), bytes.Count - at)); break;
                case 1: bytes.Insert(at, (byte)random.Next(256)); break;
                case 2: bytes[at] = (byte)random.Next(256); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }
        return bytes.ToArray();
    }

    private static readonly Gen<Sample> Samples = Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Int[4, 24], Gen.Bool).Select((form, seed, side, jpeg) =>
    {
        var random = new Random(seed);
        var image = jpeg ? TestImages.Jpeg(side, side + 3, seed) : TestImages.Png(side + 2, side, seed);
        var query = Queries[random.Next(Queries.Length)];
        switch (form)
        {
            case 0:
                return new Sample("raw", Damage(image, random), ContentTypes[random.Next(ContentTypes.Length)], null, query);
            case 1:
            {
                using var multipart = ClassifyRequests.Multipart(image);
                var body = multipart.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                var type = random.Next(4) == 0 ? "multipart/form-data; boundary=\"nope\"" : multipart.Headers.ContentType!.ToString();
                return new Sample("multipart", Damage(body, random), type, null, query);
            }
            case 2:
            {
                var json = new StringBuilder(Encoding.UTF8.GetString(ClassifyRequests.V2Json(image).ReadAsByteArrayAsync().GetAwaiter().GetResult()));
                for (var e = random.Next(0, 4); e > 0 && json.Length > 0; e--)
                {
                    var at = random.Next(json.Length);
                    if (random.Next(2) == 0) json.Insert(at, JsonFragments[random.Next(JsonFragments.Length)]);
                    else json.Remove(at, Math.Min(random.Next(1, 8), json.Length - at));
                }
                return new Sample("v2-json", Encoding.UTF8.GetBytes(json.ToString()), "application/json", null, query);
            }
            default:
            {
                using var content = ClassifyRequests.V2Binary(image);
                var body = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                var headerLength = int.Parse(content.Headers.GetValues(InferenceProtocol.InferenceHeaderContentLength).Single(), System.Globalization.CultureInfo.InvariantCulture);
                var header = random.Next(4) switch
                {
                    0 => headerLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    1 => random.Next(body.Length + 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    2 => "-4",
                    _ => "many",
                };
                return new Sample("v2-binary", Damage(body, random), InferenceProtocol.BinaryContentType, header, query);
            }
        }
    });

    [Fact]
    public async Task Hundreds_of_damaged_classify_requests_get_no_5xx_and_the_pod_stays_healthy()
    {
        var pod = fixture.Pod;
        var statuses = new Dictionary<int, int>();
        await Samples.SampleAsync(async sample =>
        {
            var content = new ByteArrayContent(sample.Body);
            if (sample.ContentType.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", sample.ContentType);
            if (sample.HeaderLength is { } length) content.Headers.TryAddWithoutValidation(InferenceProtocol.InferenceHeaderContentLength, length);
            var response = await pod.Client.PostAsync("/v2/models/mobilenet_v2/classify" + sample.Query, content);
            var status = (int)response.StatusCode;
            lock (statuses) statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            if (status >= 500) throw new Xunit.Sdk.XunitException($"{status} for a {sample.Form} request ({sample.ContentType}{sample.Query}): {text}");
            if (status != 200 && !text.StartsWith("{\"error\":", StringComparison.Ordinal)) throw new Xunit.Sdk.XunitException($"{status} without an error body: {text}");
        }, iter: 500, threads: 4);
        Assert.True(statuses.ContainsKey(200) && statuses.Keys.Count > 2, $"the generator should produce valid and several kinds of invalid requests: {string.Join(", ", statuses)}");
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.GetAsync("/v2/health/ready")).StatusCode);
        var content = new ByteArrayContent(TestImages.Png(16, 16, 1));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        Assert.Equal(HttpStatusCode.OK, (await pod.Client.PostAsync("/v2/models/mobilenet_v2/classify", content)).StatusCode);
    }
}
