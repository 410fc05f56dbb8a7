using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Platform.KubeApiDouble.Tests;

public sealed class WatchTests
{
    private static WatchProbe<V1Deployment> WatchDeployments(
        TestCluster cluster, string? resourceVersion = null, string? labelSelector = null, bool? bookmarks = null, int? timeoutSeconds = null) =>
        WatchProbe<V1Deployment>.Start((onError, stop) => cluster.Client.AppsV1.WatchListNamespacedDeploymentAsync(
            "default", resourceVersion: resourceVersion, labelSelector: labelSelector, allowWatchBookmarks: bookmarks,
            timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: stop));

    private static Task WatchOpened(TestCluster cluster, int count = 1) =>
        cluster.Api.WaitForAsync(() => cluster.Api.Store.OpenWatches(KubeResources.Deployments) == count);

    [Fact]
    public async Task A_watch_from_the_list_version_sees_every_later_change_in_order()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("a"), "default");
        var list = await cluster.Client.AppsV1.ListNamespacedDeploymentAsync("default");
        await using var watch = WatchDeployments(cluster, list.Metadata.ResourceVersion);
        await WatchOpened(cluster);

        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("b"), "default");
        var scaled = await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "a", "default");
        await cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync("b", "default");

        var added = await watch.NextAsync();
        var modified = await watch.NextAsync();
        var deleted = await watch.NextAsync();
        Assert.Equal((WatchEventType.Added, "b"), (added.Type, added.Object.Metadata.Name));
        Assert.Equal((WatchEventType.Modified, "a", 3), (modified.Type, modified.Object.Metadata.Name, modified.Object.Spec.Replicas));
        Assert.Equal(scaled.Metadata.ResourceVersion, modified.Object.Metadata.ResourceVersion);
        Assert.Equal((WatchEventType.Deleted, "b"), (deleted.Type, deleted.Object.Metadata.Name));
        Assert.True(long.Parse(deleted.Object.Metadata.ResourceVersion) > long.Parse(modified.Object.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task A_watch_without_a_version_starts_with_the_current_objects()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("a"), "default");
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("b"), "default");

        await using var watch = WatchDeployments(cluster);

        var first = await watch.NextAsync();
        var second = await watch.NextAsync();
        Assert.Equal((WatchEventType.Added, "a"), (first.Type, first.Object.Metadata.Name));
        Assert.Equal((WatchEventType.Added, "b"), (second.Type, second.Object.Metadata.Name));
    }

    [Fact]
    public async Task A_watch_resumes_from_the_last_version_it_saw()
    {
        await using var cluster = await TestCluster.StartAsync();
        string lastSeen;
        await using (var first = WatchDeployments(cluster, cluster.Api.Store.ResourceVersion.ToString()))
        {
            await WatchOpened(cluster);
            await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("a"), "default");
            lastSeen = (await first.NextAsync()).Object.Metadata.ResourceVersion;
        }

        await cluster.Api.WaitForAsync(() => cluster.Api.Store.OpenWatches() == 0);
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("b"), "default");
        await cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync("a", "default");
        await using var resumed = WatchDeployments(cluster, lastSeen);

        var missed1 = await resumed.NextAsync();
        var missed2 = await resumed.NextAsync();
        Assert.Equal((WatchEventType.Added, "b"), (missed1.Type, missed1.Object.Metadata.Name));
        Assert.Equal((WatchEventType.Deleted, "a"), (missed2.Type, missed2.Object.Metadata.Name));
    }

    [Fact]
    public async Task A_watch_from_a_compacted_version_gets_an_ERROR_event_with_410()
    {
        await using var cluster = await TestCluster.StartAsync();
        var old = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("a"), "default");
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("b"), "default");
        cluster.Api.Store.CompactHistory();

        await using var watch = WatchDeployments(cluster, old.Metadata.ResourceVersion);

        Assert.True(await watch.EndsAsync());
        var error = Assert.IsType<KubernetesException>(Assert.Single(watch.Errors));
        Assert.Equal((410, "Expired"), (error.Status.Code, error.Status.Reason));
        Assert.StartsWith("too old resource version: ", error.Status.Message);
    }

    [Fact]
    public async Task The_history_is_bounded_by_the_configured_limit()
    {
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { WatchHistoryLimit = 2 });
        var first = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("a"), "default");
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("b"), "default");
        var third = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("c"), "default");
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("d"), "default");

        await using var tooOld = WatchDeployments(cluster, first.Metadata.ResourceVersion);
        await using var recent = WatchDeployments(cluster, third.Metadata.ResourceVersion);

        Assert.True(await tooOld.EndsAsync());
        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(tooOld.Errors)).Status.Code);
        Assert.Equal("d", (await recent.NextAsync()).Object.Metadata.Name);
    }

    [Fact]
    public async Task Selector_watches_see_objects_enter_and_leave_the_selection()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var watch = WatchDeployments(cluster, cluster.Api.Store.ResourceVersion.ToString(), labelSelector: "tier=gpu");
        await WatchOpened(cluster);

        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("a"), "default");
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"labels":{"tier":"gpu"}}}""", V1Patch.PatchType.MergePatch), "a", "default");
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"labels":{"tier":"cpu"}}}""", V1Patch.PatchType.MergePatch), "a", "default");

        var entered = await watch.NextAsync();
        var left = await watch.NextAsync();
        Assert.Equal((WatchEventType.Added, "gpu"), (entered.Type, entered.Object.Metadata.Labels["tier"]));
        Assert.Equal((WatchEventType.Deleted, "cpu"), (left.Type, left.Object.Metadata.Labels["tier"]));
    }

    [Fact]
    public async Task Bookmarks_arrive_on_the_interval_with_the_current_version()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { TimeProvider = clock, BookmarkInterval = TimeSpan.FromSeconds(30) });
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("a"), "default");
        await using var watch = WatchDeployments(cluster, "0", bookmarks: true);
        Assert.Equal(WatchEventType.Added, (await watch.NextAsync()).Type);

        var version = cluster.Api.Store.ResourceVersion;
        clock.Advance(TimeSpan.FromSeconds(30));

        var bookmark = await watch.NextAsync();
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(version.ToString(), bookmark.Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task TimeoutSeconds_ends_the_watch()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var cluster = await TestCluster.StartAsync(new KubeApiServerOptions { TimeProvider = clock });
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("a"), "default");
        await using var watch = WatchDeployments(cluster, timeoutSeconds: 60);
        await watch.NextAsync();

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(1, cluster.Api.Store.OpenWatches());
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await watch.EndsAsync());
        Assert.Empty(watch.Errors);
    }

    [Fact]
    public async Task Watches_work_with_the_list_call_and_watch_flag()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "m" } }, "default");

        var response = cluster.Client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync("default", watch: true, resourceVersion: "0");
#pragma warning disable CS0618 // The older call shape is still what many informers use; the server must serve it too.
        await foreach (var (type, item) in response.WatchAsync<V1ConfigMap, V1ConfigMapList>())
#pragma warning restore CS0618
        {
            Assert.Equal((WatchEventType.Added, "m"), (type, item.Metadata.Name));
            break;
        }
    }

    [Fact]
    public async Task A_streaming_list_ends_its_initial_events_with_a_marked_bookmark()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(TestCluster.Deployment("a"), "default");

        await using var watch = WatchProbe<V1Deployment>.Start((onError, stop) => cluster.Client.AppsV1.WatchListNamespacedDeploymentAsync(
            "default", allowWatchBookmarks: true, sendInitialEvents: true, resourceVersionMatch: "NotOlderThan",
            onError: onError, cancellationToken: stop));

        var added = await watch.NextAsync();
        var bookmark = await watch.NextAsync();
        Assert.Equal((WatchEventType.Added, "a"), (added.Type, added.Object.Metadata.Name));
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal("true", bookmark.Object.Metadata.Annotations["k8s.io/initial-events-end"]);
        Assert.Equal(cluster.Api.Store.ResourceVersion.ToString(), bookmark.Object.Metadata.ResourceVersion);
    }
}
