using Microsoft.AspNetCore.Hosting;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Operator.Autoscaling.Prometheus;
using Platform.Operator.Autoscaling.Scraping;

namespace Platform.Operator.Tests.Autoscaling;

/// <summary>The scraper against misbehaving /metrics endpoints on loopback: each is a clear error, never a hang or crash.</summary>
public sealed class PodMetricsScraperTests : IAsyncLifetime
{
    private const string Good = """
        # TYPE platform_inference_queue_depth gauge
        platform_inference_queue_depth{model="m"} 3
        # TYPE platform_inference_in_flight_requests gauge
        platform_inference_in_flight_requests{model="m"} 4
        # TYPE platform_inference_request_duration_seconds histogram
        platform_inference_request_duration_seconds_bucket{model="m",le="0.01"} 5
        platform_inference_request_duration_seconds_bucket{model="m",le="+Inf"} 6
        platform_inference_request_duration_seconds_sum{model="m"} 0.2
        platform_inference_request_duration_seconds_count{model="m"} 6

        """;

    private WebApplication _app = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = builder.Build();
        _app.MapGet("/good", () => Results.Text(Good));
        _app.MapGet("/garbage", () => Results.Text("this is { not prometheus\n"));
        _app.MapGet("/other-names", () => Results.Text("# TYPE something_else gauge\nsomething_else 1\n"));
        _app.MapGet("/huge", async (HttpContext context) =>
        {
            var line = System.Text.Encoding.UTF8.GetBytes("# padding padding padding padding padding padding\n");
            for (var i = 0; i < 4000; i++) await context.Response.Body.WriteAsync(line);
        });
        _app.MapGet("/slow", async (CancellationToken ct) => { await Task.Delay(TimeSpan.FromSeconds(10), ct); return Results.Text(Good); });
        _app.MapGet("/error", () => Results.StatusCode(500));
        await _app.StartAsync();
        _port = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private PodMetricsScraper Scraper() => new(new HttpClient(), TimeProvider.System, TimeSpan.FromSeconds(2), new ExpositionLimits { MaxBytes = 64 * 1024 });

    private V1Pod Pod(string path, string? ip = "127.0.0.1") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "pod-a",
            Annotations = new Dictionary<string, string> { [PodMetricsScraper.PortAnnotation] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture), [PodMetricsScraper.PathAnnotation] = path },
        },
        Status = new V1PodStatus { PodIP = ip },
    };

    [Fact]
    public async Task A_good_exposition_becomes_a_snapshot_of_the_contract_metrics()
    {
        var snapshot = await Scraper().ScrapeAsync(Pod("/good"), CancellationToken.None);
        Assert.Equal(3, snapshot.QueueDepth);
        Assert.Equal(4, snapshot.InFlight);
    }

    [Theory]
    [InlineData("/garbage", "unreadable metrics")]
    [InlineData("/other-names", "platform_inference_queue_depth")]
    [InlineData("/huge", "larger than 65536 bytes")]
    [InlineData("/slow", "no answer within 2000 ms")]
    [InlineData("/error", "answered 500")]
    public async Task A_misbehaving_pod_is_a_scrape_error_that_says_why(string path, string reason)
    {
        var error = await Assert.ThrowsAsync<ScrapeException>(() => Scraper().ScrapeAsync(Pod(path), CancellationToken.None));
        Assert.Equal("pod-a", error.Pod);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public async Task A_pod_without_an_ip_is_not_scraped()
    {
        var error = await Assert.ThrowsAsync<ScrapeException>(() => Scraper().ScrapeAsync(Pod("/good", ip: null), CancellationToken.None));
        Assert.Contains("no IP", error.Reason);
    }
}
