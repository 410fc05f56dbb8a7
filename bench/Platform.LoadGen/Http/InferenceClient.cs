using System.Net;
using System.Text;
using Platform.Contracts;

namespace Platform.LoadGen.Http;

/// <summary>
/// The HTTP edge of the generator: one pooled HTTP/1.1 keep-alive client for readiness, metadata,
/// metrics and the inference requests themselves.
/// </summary>
internal sealed class InferenceClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly Uri _inferUri;
    private readonly string _model;

    public InferenceClient(Uri baseUrl, string model, int connections, TimeSpan clientTimeout, bool expectContinue = false)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(handler) { Timeout = clientTimeout };
        // "Expect: 100-continue": the body goes out only once the server asks for it, so a request
        // the server refuses from its headers alone (a full queue) costs no upload.
        _http.DefaultRequestHeaders.ExpectContinue = expectContinue;
        _baseUrl = baseUrl;
        _model = model;
        _inferUri = new Uri(baseUrl, InferenceProtocol.InferPath(Uri.EscapeDataString(model)));
    }

    /// <summary>Polls /v2/health/ready until it answers 200 or <paramref name="timeout"/> passes.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancel)
    {
        var start = time.GetTimestamp();
        var uri = new Uri(_baseUrl, InferenceProtocol.ReadyPath);
        var last = "";
        while (true)
        {
            try
            {
                using var response = await _http.GetAsync(uri, cancel);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                last = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
            {
                last = "no answer within the client timeout";
            }
            if (time.GetElapsedTime(start) >= timeout)
            {
                throw new LoadGenException($"{uri} is not ready after {timeout.TotalSeconds:0.#} s (last answer: {last})");
            }
            // Polling a remote server: there is no event to await.
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancel);
        }
    }

    public async Task<ModelMetadata> GetMetadataAsync(CancellationToken cancel)
    {
        var uri = new Uri(_baseUrl, $"/v2/models/{Uri.EscapeDataString(_model)}");
        using var response = await Send(() => _http.GetAsync(uri, cancel), uri, cancel);
        var body = await response.Content.ReadAsByteArrayAsync(cancel);
        return response.IsSuccessStatusCode
            ? ModelMetadata.Parse(body)
            : throw new LoadGenException($"GET {uri} answered {(int)response.StatusCode}: {Snippet(body)}");
    }

    /// <summary>Sends the request once and checks the whole answer; returns one description line per output.</summary>
    public async Task<IReadOnlyList<string>> CheckOnceAsync(PreparedRequest request, ModelMetadata model, CancellationToken cancel)
    {
        using var message = request.CreateMessage(_inferUri);
        using var response = await Send(() => _http.SendAsync(message, cancel), _inferUri, cancel);
        var body = await response.Content.ReadAsByteArrayAsync(cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new LoadGenException($"the first request to {_inferUri} was answered {(int)response.StatusCode}: {Snippet(body)}");
        }
        int? headerLength = null;
        if (response.Headers.TryGetValues(InferenceProtocol.InferenceHeaderContentLength, out var values)
            || response.Content.Headers.TryGetValues(InferenceProtocol.InferenceHeaderContentLength, out values))
        {
            headerLength = int.TryParse(values.First(), out var parsed)
                ? parsed
                : throw new LoadGenException($"the answer's {InferenceProtocol.InferenceHeaderContentLength} is not a number");
        }
        return InferResponseCheck.Describe(body, headerLength, model.Outputs);
    }

    /// <summary>The hot path: send, read the whole answer, classify. Never throws for a failed request.</summary>
    public async Task<(Outcome Outcome, int StatusCode)> SendAsync(PreparedRequest request)
    {
        using var message = request.CreateMessage(_inferUri);
        try
        {
            // The default completion option reads the whole body, so the client timeout covers it too.
            using var response = await _http.SendAsync(message, CancellationToken.None);
            return (Outcome.Answered, (int)response.StatusCode);
        }
        catch (TaskCanceledException)
        {
            return (Outcome.ClientTimeout, 0);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (Outcome.ConnectionFailed, 0);
        }
    }

    /// <summary>The pod's batch size totals from /metrics, or null when it exports none or cannot be reached.</summary>
    public async Task<ServerBatchStats?> ScrapeBatchStatsAsync(CancellationToken cancel)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(_baseUrl, PodMetrics.Path), cancel);
            return response.IsSuccessStatusCode
                ? ServerBatchStats.Parse(await response.Content.ReadAsStringAsync(cancel), _model)
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<HttpResponseMessage> Send(Func<Task<HttpResponseMessage>> send, Uri uri, CancellationToken cancel)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException e)
        {
            throw new LoadGenException($"cannot reach {uri}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new LoadGenException($"{uri} did not answer in time", e);
        }
    }

    private static string Snippet(byte[] body) =>
        body.Length == 0 ? "(empty body)" : Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));

    public void Dispose() => _http.Dispose();
}
