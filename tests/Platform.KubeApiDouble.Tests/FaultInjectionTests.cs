using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Platform.KubeApiDouble.Faults;

namespace Platform.KubeApiDouble.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Injected_errors_answer_the_matching_requests_for_their_count()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");
        var rule = cluster.Api.Faults.ServerError(new RequestMatch(Verb: "get", Resource: "deployments", Name: "w*"), statusCode: 503, times: 2);

        var (first, _) = await TestCluster.FailureOf(() => cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default"));
        var (second, _) = await TestCluster.FailureOf(() => cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default"));
        var third = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        var listed = await cluster.Client.AppsV1.ListNamespacedDeploymentAsync("default");

        Assert.Equal((503, 503), (first, second));
        Assert.Equal("web", third.Metadata.Name);
        Assert.Single(listed.Items);
        Assert.Equal((2, 0), (rule.Hits, rule.Remaining));
    }

    [Fact]
    public async Task Too_many_requests_carries_Retry_After()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.Faults.TooManyRequests(new RequestMatch(Verb: "create"), retryAfterSeconds: 3);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "m" } }, "default"));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.Response.StatusCode);
        Assert.Equal("3", error.Response.Headers["Retry-After"].Single());
        Assert.Equal("TooManyRequests", KubernetesJson.Deserialize<V1Status>(error.Response.Content).Reason);
        Assert.Null(cluster.Api.Store.Get(KubeResources.ConfigMaps, "default", "m"));
    }

    [Fact]
    public async Task An_injected_conflict_leaves_the_object_unchanged()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");
        cluster.Api.Faults.Conflict(new RequestMatch(Verb: "patch", Resource: "deployments"));

        var (code, status) = await TestCluster.FailureOf(() => cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"replicas":2}}""", V1Patch.PatchType.MergePatch), "web", "default"));

        Assert.Equal((409, "Conflict"), (code, status.Reason));
        Assert.Equal(created.Metadata.ResourceVersion, cluster.Api.Store.Get(KubeResources.Deployments, "default", "web")!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delays_hold_a_response_until_the_clock_moves()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { TimeProvider = clock });
        var rule = cluster.Api.Faults.Delay(new RequestMatch(Verb: "list", Resource: "configmaps"), TimeSpan.FromSeconds(5), times: 1);

        var listing = cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        await cluster.Api.WaitForAsync(() => rule.Hits == 1);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, cluster.Api.Requests.Count("list", "configmaps"));
        Assert.False(listing.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty((await listing).Items);
    }

    [Fact]
    public async Task Dropped_watches_end_and_a_new_watch_can_start()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");
        await using var watch = WatchProbe<V1Deployment>.Start((onError, stop) =>
            cluster.Client.AppsV1.WatchListNamespacedDeploymentAsync("default", onError: onError, cancellationToken: stop));
        await watch.NextAsync();

        cluster.Api.Faults.DropWatches("deployments");

        Assert.True(await watch.EndsAsync());
        Assert.Equal(0, cluster.Api.Store.OpenWatches());
    }

    [Fact]
    public async Task Aborted_watches_fail_in_the_client()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");
        await using var watch = WatchProbe<V1Deployment>.Start((onError, stop) =>
            cluster.Client.AppsV1.WatchListNamespacedDeploymentAsync("default", onError: onError, cancellationToken: stop));
        await watch.NextAsync();

        cluster.Api.Faults.DropWatches(abortConnection: true);

        Assert.True(await watch.EndsAsync());
        Assert.NotEmpty(watch.Errors);
    }

    [Fact]
    public async Task The_next_watches_can_be_made_to_fail_with_410_then_recover()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("web"), "default");
        cluster.Api.Faults.FailNextWatches(1, "deployments");

        await using var failed = WatchProbe<V1Deployment>.Start((onError, stop) =>
            cluster.Client.AppsV1.WatchListNamespacedDeploymentAsync("default", onError: onError, cancellationToken: stop));
        Assert.True(await failed.EndsAsync());
        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(failed.Errors)).Status.Code);

        await using var next = WatchProbe<V1Deployment>.Start((onError, stop) =>
            cluster.Client.AppsV1.WatchListNamespacedDeploymentAsync("default", onError: onError, cancellationToken: stop));
        Assert.Equal("web", (await next.NextAsync()).Object.Metadata.Name);
    }

    [Fact]
    public async Task Watch_failures_with_other_codes_fail_the_request()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Api.Faults.FailNextWatches(1, "deployments", statusCode: 500);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            cluster.Client.AppsV1.ListNamespacedDeploymentWithHttpMessagesAsync("default", watch: true));

        Assert.Equal(HttpStatusCode.InternalServerError, error.Response.StatusCode);
    }
}
