using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Platform.InferencePod.Gpu;
using Platform.InferencePod.Grpc;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Hosting;
using Platform.InferencePod.Pipeline;
using Platform.InferencePod.RateLimiting;

namespace Platform.InferencePod.TestSupport;

/// <summary>The real pod on a loopback port, in this process, started and warmed up.</summary>
public sealed class PodServer : IAsyncDisposable
{
    private PodServer(WebApplication app, Uri baseAddress, Uri grpcAddress, int connections)
    {
        App = app;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        GrpcAddress = grpcAddress;
        GrpcChannel = GrpcChannel.ForAddress(grpcAddress, new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null });
        Grpc = new GRPCInferenceService.GRPCInferenceServiceClient(GrpcChannel);
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    /// <summary>The V2 gRPC endpoint (HTTP/2 cleartext on its own port) and a client of it.</summary>
    public Uri GrpcAddress { get; }
    public GrpcChannel GrpcChannel { get; }
    public GRPCInferenceService.GRPCInferenceServiceClient Grpc { get; }
    public PodState State => App.Services.GetRequiredService<PodState>();

    /// <summary>Starts a pod; <paramref name="settings"/> are configuration keys ("Batching:MaxBatchSize") and values.</summary>
    /// <param name="valve">When given, the pod's batch loops start no run while it is closed.</param>
    /// <param name="logs">When given, receives the pod's log lines from Information up.</param>
    /// <param name="connections">Most connections the HTTP client opens (a benchmark's concurrency).</param>
    public static async Task<PodServer> StartAsync(string modelPath, IDictionary<string, string?>? settings = null, bool waitForReady = true,
        BatchValve? valve = null, LogCapture? logs = null, int connections = 512)
    {
        // One session on every CPU unless a test asks for the layout search: a measured layout differs
        // from run to run, and tests of batching count on one batch loop. ThreadLayoutTests run the search.
        var args = new List<string> { $"--Model:Path={modelPath}", "--urls=http://127.0.0.1:0", "--Server:GrpcPort=0", "--Model:ThreadLayoutSearch=false" };
        if (valve is not null) args.AddRange(BatchValve.Settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) args.Add($"--{key}={value}");
        var app = PodApp.Build(args.ToArray(), builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
                builder.Logging.AddFilter<LogCapture>("Platform", LogLevel.Information);
            }
            if (valve is not null) builder.Services.AddSingleton<IGpuMemorySource>(valve);
        });
        await app.StartAsync();
        var grpcPort = app.Services.GetRequiredService<ListenEndpoints>().BoundGrpcPort;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => new Uri(a).Port != grpcPort);
        var server = new PodServer(app, new Uri(address), new Uri($"http://127.0.0.1:{grpcPort}"), connections);
        if (waitForReady)
        {
            var stopping = Task.Delay(Timeout.Infinite, app.Lifetime.ApplicationStopping);
            await Task.WhenAny(server.State.WhenWarmedUp, stopping).WaitAsync(TimeSpan.FromSeconds(120));
            if (!server.State.WarmedUp)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException("the pod stopped before it was ready (warm-up failed)");
            }
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
        GrpcChannel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
