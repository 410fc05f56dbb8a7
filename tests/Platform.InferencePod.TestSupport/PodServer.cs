using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Platform.InferencePod.Batching;
using Platform.InferencePod.Grpc;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Hosting;
using Platform.InferencePod.Inference;
using Platform.InferencePod.Pipeline;
using Platform.InferencePod.RateLimiting;

namespace Platform.InferencePod.TestSupport;

/// <summary>The real pod on a loopback port, in this process, started and warmed up.</summary>
public sealed class PodServer : IAsyncDisposable
{
    private readonly RunGate? _gate;

    private PodServer(WebApplication app, Uri baseAddress, Uri grpcAddress, int connections, RunGate? gate)
    {
        App = app;
        _gate = gate;
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
    public InferenceScheduler Scheduler => App.Services.GetRequiredService<InferenceScheduler>();

    /// <summary>Starts a pod; <paramref name="settings"/> are configuration keys ("Batching:MaxBatchSize") and values.</summary>
    /// <param name="gate">When given, the pod's model runs wait at it while it is closed (it starts open: warm-up passes).</param>
    /// <param name="logs">When given, receives the pod's log lines from Information up.</param>
    /// <param name="connections">Most connections the HTTP client opens (a benchmark's concurrency).</param>
    public static async Task<PodServer> StartAsync(string modelPath, IDictionary<string, string?>? settings = null, bool waitForReady = true,
        RunGate? gate = null, LogCapture? logs = null, int connections = 512)
    {
        // One session on every CPU unless a test asks for the layout search: a measured layout differs
        // from run to run, and tests of batching count on one batch loop. ThreadLayoutTests run the search.
        var args = new List<string> { $"--Model:Path={modelPath}", "--urls=http://127.0.0.1:0", "--Server:GrpcPort=0", "--Model:ThreadLayoutSearch=false" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) args.Add($"--{key}={value}");
        var app = PodApp.Build(args.ToArray(), builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
                builder.Logging.AddFilter<LogCapture>("Platform", LogLevel.Information);
            }
            if (gate is not null) builder.Services.AddSingleton<IBatchRunnerDecorator>(gate);
        });
        await app.StartAsync();
        var grpcPort = app.Services.GetRequiredService<ListenEndpoints>().BoundGrpcPort;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => new Uri(a).Port != grpcPort);
        var server = new PodServer(app, new Uri(address), new Uri($"http://127.0.0.1:{grpcPort}"), connections, gate);
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

    /// <summary>
    /// Sends a request (or submits a job) whose batch the closed gate then holds, computing, in the pod's batch loop;
    /// returns once it is held and past the run time the pod expected of it, so the backlog estimate
    /// (zero then: call this with the queue empty) counts what is queued next alone, as on an idle
    /// pod. What the test sends next waits in the queue. The returned task is the request's answer,
    /// which comes once the gate lets the run through.
    /// </summary>
    public async Task<Task<T>> HoldRunAsync<T>(Func<Task<T>> send)
    {
        var gate = _gate ?? throw new InvalidOperationException("the pod was started without a RunGate");
        var held = gate.WhenHolding(gate.Holding + 1);
        var pending = send();
        try
        {
            await held.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no run was held within 30 s (the request is {pending.Status}): close the gate first, and send a request the pod admits");
        }
        await Polling.UntilAsync(() => Task.FromResult(Scheduler.EstimateBacklog() == TimeSpan.Zero),
            () => $"the pod's backlog estimate to fall to zero (it is {Scheduler.EstimateBacklog().TotalMilliseconds:F0} ms; {Scheduler.QueuedRequests} queued)", TimeSpan.FromSeconds(30));
        return pending;
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
        // A test that failed with the gate closed must not leave the drain waiting on a held run.
        _gate?.Open();
        Client.Dispose();
        GrpcChannel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
