using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Platform.InferencePod.Hosting;
using Platform.InferencePod.Lifecycle;

namespace Platform.InferencePod.Tests.Support;

/// <summary>The real pod on a loopback port, in this process, started and warmed up.</summary>
public sealed class PodServer : IAsyncDisposable
{
    private PodServer(WebApplication app, Uri baseAddress)
    {
        App = app;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public PodState State => App.Services.GetRequiredService<PodState>();

    /// <summary>Starts a pod; <paramref name="settings"/> are configuration keys ("Batching:MaxBatchSize") and values.</summary>
    public static async Task<PodServer> StartAsync(string modelPath, IDictionary<string, string?>? settings = null, bool waitForReady = true)
    {
        var args = new List<string> { $"--Model:Path={modelPath}", "--urls=http://127.0.0.1:0" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) args.Add($"--{key}={value}");
        var app = PodApp.Build(args.ToArray(), builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var server = new PodServer(app, new Uri(address));
        if (waitForReady)
        {
            var stopping = Task.Delay(Timeout.Infinite, app.Lifetime.ApplicationStopping);
            await Task.WhenAny(server.State.WhenWarmedUp, stopping).WaitAsync(TimeSpan.FromSeconds(60));
            if (!server.State.WarmedUp) throw new InvalidOperationException("the pod stopped before it was ready (warm-up failed)");
        }
        return server;
    }

    public async Task<string> MetricsTextAsync() => await Client.GetStringAsync("/metrics");

    /// <summary>The value of one sample on /metrics ("name{labels}"), or 0 when absent.</summary>
    public async Task<double> MetricAsync(string sampleWithLabels)
    {
        foreach (var line in (await MetricsTextAsync()).Split('\n'))
        {
            if (line.StartsWith(sampleWithLabels + " ", StringComparison.Ordinal))
                return double.Parse(line[(sampleWithLabels.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
        return 0;
    }

    public Task<HttpResponseMessage> InferJsonAsync(string model, JsonObject body) =>
        Client.PostAsJsonAsync($"/v2/models/{model}/infer", body);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
