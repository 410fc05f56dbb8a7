using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;

namespace Platform.InferencePod.Tests.Jobs;

/// <summary>Submitting jobs and following them through the API, as a client would.</summary>
public static class JobRequests
{
    public static async Task<JsonObject> SubmitAsync(PodServer pod, string model, HttpContent body)
    {
        var response = await pod.Client.PostAsync($"/v2/models/{model}/jobs", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        var document = JsonNode.Parse(text)!.AsObject();
        Assert.Equal($"/v2/jobs/{document["id"]}", response.Headers.Location!.ToString());
        Assert.Equal(response.Headers.Location.ToString(), (string)document["status_url"]!);
        return document;
    }

    public static async Task<JsonObject> GetAsync(PodServer pod, string id)
    {
        var response = await pod.Client.GetAsync($"/v2/jobs/{id}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Polls the status URL, as clients of an asynchronous API do, until the job has finished.</summary>
    public static async Task<JsonObject> WaitAsync(PodServer pod, string id, int timeoutMs = 20_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var document = await GetAsync(pod, id);
            if ((string)document["status"]! is "succeeded" or "failed" or "cancelled") return document;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {id} is still {document["status"]}");
            await Task.Delay(10);
        }
    }

    public static async Task<string> ErrorAsync(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.ToString();
}
