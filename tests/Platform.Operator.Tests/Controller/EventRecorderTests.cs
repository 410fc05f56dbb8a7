using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Platform.KubeApiDouble;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Controller;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Controller;

public sealed class EventRecorderTests
{
    private static InferenceService Service(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ml", Uid = $"uid-{name}" },
        Spec = new InferenceServiceSpec(),
    };

    private static async Task<(KubeApiServer Api, EventRecorder Recorder, FakeTimeProvider Time, IKubernetes Client)> StartAsync(int maxRemembered)
    {
        var api = await KubeApiServer.StartAsync();
        api.Store.EnsureNamespace("ml");
        var client = new Kubernetes(new KubernetesClientConfiguration { Host = api.BaseUrl });
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var writer = new ClusterWriter(client, new ReconcileSettings { DefaultImage = "x" }, new OperatorMetrics(Prometheus.Metrics.NewCustomRegistry()));
        return (api, new EventRecorder(writer, time, NullLogger<EventRecorder>.Instance, new EventRecorderOptions("platform-operator", "test", maxRemembered)), time, client);
    }

    [Fact]
    public async Task The_same_event_is_recorded_once_per_repeat_period_and_expired_entries_are_forgotten()
    {
        var (api, recorder, time, client) = await StartAsync(maxRemembered: 100);
        await using var _ = api;
        using var __ = client;

        for (var i = 0; i < 3; i++) await recorder.WarningAsync(Service("a"), "Broken", $"problem {i}", CancellationToken.None);
        await recorder.WarningAsync(Service("a"), "Broken", "problem 0", CancellationToken.None);
        Assert.Equal(3, api.Store.List(KubeResources.Events, "ml").Count);
        Assert.Equal(3, recorder.Remembered);

        time.Advance(EventRecorder.RepeatAfter + TimeSpan.FromSeconds(1));
        await recorder.WarningAsync(Service("a"), "Broken", "problem 0", CancellationToken.None);
        Assert.Equal(4, api.Store.List(KubeResources.Events, "ml").Count);
        Assert.Equal(1, recorder.Remembered);
    }

    [Fact]
    public async Task The_memory_is_capped_forgetting_the_oldest_first()
    {
        var (api, recorder, time, client) = await StartAsync(maxRemembered: 3);
        await using var _ = api;
        using var __ = client;

        for (var i = 0; i < 6; i++)
        {
            await recorder.NormalAsync(Service($"s{i}"), "Created", "Created Deployment", CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(3, recorder.Remembered);

        // The newest is still de-duplicated; the oldest was forgotten and is recorded again.
        await recorder.NormalAsync(Service("s5"), "Created", "Created Deployment", CancellationToken.None);
        Assert.Equal(6, api.Store.List(KubeResources.Events, "ml").Count);
        await recorder.NormalAsync(Service("s0"), "Created", "Created Deployment", CancellationToken.None);
        Assert.Equal(7, api.Store.List(KubeResources.Events, "ml").Count);
    }
}
