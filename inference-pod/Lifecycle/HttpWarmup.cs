using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Platform.Contracts;
using Platform.InferencePod.Pipeline;

namespace Platform.InferencePod.Lifecycle;

/// <summary>
/// Sends the pod's own listener real requests over loopback before it turns ready, so that
/// the server's request path (connection handling, routing, body reading) is compiled and
/// warm too: the first client request is then as fast as the ones after it. The requests come
/// over <see cref="WarmupConnections"/>, which marks them as warm-up calls.
/// </summary>
public static class HttpWarmup
{
    public const int Iterations = 32;

    public static async Task RunAsync(IServer server, WarmupConnections warmup, string model, IReadOnlyList<(byte[] Body, int JsonLength)> bodies, ILogger logger, CancellationToken cancellationToken)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal));
        if (address is null) return;
        var uri = new UriBuilder(address);
        if (uri.Host is "0.0.0.0" or "[::]" or "+" or "*" or "localhost") uri.Host = "127.0.0.1";
        using var client = new HttpClient(warmup.CreateHandler()) { BaseAddress = uri.Uri, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            for (var i = 0; i < Iterations && !cancellationToken.IsCancellationRequested; i++)
            {
                foreach (var (body, jsonLength) in bodies)
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    if (jsonLength < body.Length) content.Headers.Add(InferenceProtocol.InferenceHeaderContentLength, jsonLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    using var response = await client.PostAsync($"/v2/models/{model}/infer", content, cancellationToken);
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                }
                using var ready = await client.GetAsync(InferenceProtocol.ReadyPath, cancellationToken);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Warming the HTTP path is an optimisation: readiness must not depend on it.
            logger.LogWarning("HTTP warm-up over {Address} failed: {Error}", uri.Uri, e.Message);
        }
    }
}
