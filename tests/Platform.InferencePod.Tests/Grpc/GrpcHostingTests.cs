using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Platform.InferencePod.Configuration;
using Platform.InferencePod.Grpc;
using Platform.InferencePod.Grpc.V2;
using Platform.InferencePod.Hosting;
using Platform.InferencePod.RateLimiting;
using Platform.InferencePod.TestSupport;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Grpc;

/// <summary>The gRPC port beside the REST port: where each listens, and the settings that conflict.</summary>
public sealed class GrpcHostingTests
{
    private static ListenEndpoints Resolve(Dictionary<string, string?> settings, int grpcPort = 8081) =>
        ListenEndpoints.Resolve(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), new ServerOptions { GrpcPort = grpcPort });

    [Fact]
    public void Rest_addresses_come_from_urls_then_http_ports_then_the_default()
    {
        Assert.Equal(["127.0.0.1:9000", "localhost:9001"], Resolve(new() { ["urls"] = "http://127.0.0.1:9000;http://localhost:9001", ["http_ports"] = "7000" }).Rest.Select(a => $"{a.Host}:{a.Port}"));
        Assert.Equal(["*:8080", "*:8082"], Resolve(new() { ["http_ports"] = "8080;8082" }).Rest.Select(a => $"{a.Host}:{a.Port}"));
        Assert.Equal(["localhost:5000"], Resolve(new()).Rest.Select(a => $"{a.Host}:{a.Port}"));
    }

    public static TheoryData<Dictionary<string, string?>, int, string> Conflicts => new()
    {
        { new() { ["http_ports"] = "8081" }, 8081, "Server:GrpcPort 8081 is also the REST port of 'http://*:8081'; give gRPC its own port" },
        { new() { ["urls"] = "https://127.0.0.1:9443" }, 8081, "listen address 'https://127.0.0.1:9443' is not plain http" },
        { new() { ["https_ports"] = "443" }, 8081, "https_ports is set but the pod serves plain HTTP" },
        { new() { ["urls"] = "http://127.0.0.1:9000/api" }, 8081, "listen address 'http://127.0.0.1:9000/api' has a path" },
    };

    [Theory]
    [MemberData(nameof(Conflicts))]
    public void Conflicting_listen_settings_stop_start_up_with_one_line(Dictionary<string, string?> settings, int grpcPort, string expected)
    {
        var error = Assert.Throws<StartupException>(() => Resolve(settings, grpcPort));
        Assert.StartsWith(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("--Server:GrpcPort=70000", "Server:GrpcPort must be between 0 and 65535 (got 70000)")]
    [InlineData("--Server:GrpcPort=ninety", "Server:GrpcPort")]
    public void A_bad_grpc_port_is_refused_at_start(string setting, string expected)
    {
        var error = Assert.Throws<StartupException>(() => PodApp.Build([$"--Model:Path={TestModels.Mlp}", setting]));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task With_http_ports_both_rest_and_grpc_listen_and_nothing_is_bound_twice()
    {
        var port = PodProcess.FreePort();
        var app = PodApp.Build([$"--Model:Path={TestModels.Mlp}", $"--http_ports={port}", "--Server:GrpcPort=0", "--Warmup:Iterations=0"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        try
        {
            var grpcPort = app.Services.GetRequiredService<ListenEndpoints>().BoundGrpcPort;
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            Assert.Equal(2, addresses.Count);
            Assert.Contains(addresses, a => new Uri(a.Replace("*", "localhost", StringComparison.Ordinal)).Port == port);
            using var rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.Equal(HttpStatusCode.OK, (await rest.GetAsync("/v2/health/live")).StatusCode);
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            Assert.True((await new GRPCInferenceService.GRPCInferenceServiceClient(channel).ServerLiveAsync(new ServerLiveRequest())).Live);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_pod_process_serves_rest_on_its_urls_and_grpc_on_the_configured_port()
    {
        var grpcPort = PodProcess.FreePort();
        await using var pod = PodProcess.Start($"--Model:Path={TestModels.Mlp}", $"--Server:GrpcPort={grpcPort}", "--Warmup:Iterations=1");
        await pod.WaitReadyAsync(TimeSpan.FromSeconds(60));
        var rest = await pod.Client.PostAsync("/v2/models/mlp/infer", V2Requests.Binary("input", [1, 64], new float[64]));
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        Assert.True((await client.ServerReadyAsync(new ServerReadyRequest())).Ready);
        var response = await client.ModelInferAsync(GrpcRequests.Raw("mlp", "input", [1, 64], new float[64]));
        Assert.Equal([1L, 10L], response.Outputs[0].Shape);
        Assert.DoesNotContain("Overriding", pod.Stdout + pod.Stderr);
    }
}
