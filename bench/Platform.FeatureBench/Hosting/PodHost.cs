using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.InferencePod.Grpc;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Hosting;
using Platform.InferencePod.Pipeline;

namespace Platform.FeatureBench.Hosting;

/// <summary>
/// The real pod (<see cref="PodApp.Build"/>) in this process on loopback ports, started and
/// warmed up, with one keep-alive HTTP client and one gRPC channel to it.
/// </summary>
internal sealed class PodHost : IAsyncDisposable
{
    private PodHost(WebApplication app, Uri rest, Uri grpc, int connections)
    {
        App = app;
        Http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        })
        { BaseAddress = rest, Timeout = TimeSpan.FromSeconds(60) };
        Channel = GrpcChannel.ForAddress(grpc, new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null });
        Grpc = new GRPCInferenceService.GRPCInferenceServiceClient(Channel);
    }

    public WebApplication App { get; }
    public HttpClient Http { get; }
    public GrpcChannel Channel { get; }
    public GRPCInferenceService.GRPCInferenceServiceClient Grpc { get; }

    /// <summary>Starts a pod with the given configuration keys ("Batching:MaxBatchSize") and waits until it is warmed up.</summary>
    public static async Task<PodHost> StartAsync(string modelPath, IReadOnlyDictionary<string, string> settings, int connections)
    {
        var args = new List<string> { $"--Model:Path={modelPath}", "--urls=http://127.0.0.1:0", "--Server:GrpcPort=0" };
        args.AddRange(settings.Select(s => $"--{s.Key}={s.Value}"));
        var app = PodApp.Build(args.ToArray(), builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        var grpcPort = app.Services.GetRequiredService<ListenEndpoints>().BoundGrpcPort;
        var rest = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => new Uri(a).Port != grpcPort);
        var host = new PodHost(app, new Uri(rest), new Uri($"http://127.0.0.1:{grpcPort}"), connections);
        var state = app.Services.GetRequiredService<PodState>();
        var stopping = Task.Delay(Timeout.Infinite, app.Lifetime.ApplicationStopping);
        await Task.WhenAny(state.WhenWarmedUp, stopping).WaitAsync(TimeSpan.FromSeconds(120));
        if (!state.WarmedUp)
        {
            await host.DisposeAsync();
            throw new InvalidOperationException("the pod stopped before it was ready (its warm-up failed)");
        }
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
