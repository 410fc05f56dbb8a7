using System.Net;
using k8s;
using k8s.Models;
using Platform.EnvTest;
using Platform.InferencePod.TestSupport;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.EnvTests.Support;

namespace Platform.Operator.EnvTests.Operator;

/// <summary>
/// The builtin autoscaler end to end on the real control plane: the Deployment controller makes
/// the Pods, the kubelet stand-in reports each one Ready at the loopback address of a real
/// inference-pod process, the operator scrapes those processes, and load moves the replica
/// count up, quiet brings it back down after the scale-down window.
/// </summary>
[Collection(EnvTestCollection.Name)]
public sealed class AutoscalingTests(ControlPlaneFixture fixture)
{
    private const int MaxReplicas = 3;
    private static readonly string MobileNet = Path.Combine(AppContext.BaseDirectory, "models", "mobilenet_v2.onnx");

    private IKubernetes Admin => fixture.Admin;

    [OperatorEnvTestFact]
    public async Task Load_scales_the_deployment_up_and_quiet_brings_it_down()
    {
        await using var pods = await PodServers.StartAsync(MaxReplicas,
            $"--Model:Path={MobileNet}", "--Model:Name=classifier", "--Model:IntraOpThreads=1", "--Batching:MaxBatchSize=1", "--Warmup:Iterations=1");
        await Crds.EnsureInstalledAsync(fixture.Plane);
        var release = await fixture.CreateNamespaceAsync("release-scale");
        var ns = await fixture.CreateNamespaceAsync("serving-scale");
        var chart = await ChartOperator.InstallRbacAsync(fixture.Plane, release, ns);
        await using var op = await ChartOperator.StartAsync(fixture.Plane, chart, release, "platform-0", "--Operator:Autoscaler:TickSeconds=0.2");
        KubeletStandIn kubelet = null!;
        kubelet = new KubeletStandIn(Admin, ns, _ => pods.Addresses.Except(kubelet.Ready.Values).FirstOrDefault());
        await using var _ = kubelet;

        await Services.CreateAsync(Admin, ns, Services.New("classifier", """
            {"autoscaling":{"mode":"Builtin","minReplicas":1,"maxReplicas":3,"targetQueueDepth":2,"metricsIntervalSeconds":1,
              "scaleDown":{"stabilizationWindowSeconds":3}}}
            """));
        await Eventually.HoldsAsync("one ready replica", async () => (await Admin.AppsV1.ReadNamespacedDeploymentAsync("classifier", ns)).Status?.ReadyReplicas == 1, TimeSpan.FromSeconds(60));

        using var loadStop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 12).Select(i => LoadAsync(kubelet, i, loadStop.Token)).ToList();
        await Eventually.HoldsAsync("scaled up under load", async () => (await Admin.AppsV1.ReadNamespacedDeploymentAsync("classifier", ns)).Spec.Replicas >= 2,
            TimeSpan.FromSeconds(60), seen: async () => Services.Describe(await Services.GetAsync(Admin, ns, "classifier")) + "\n" + await Services.EventsAsync(Admin, ns, "classifier"));
        await Eventually.HoldsAsync("a Scaled event", async () => (await Services.EventsAsync(Admin, ns, "classifier")).Contains("Scaled", StringComparison.Ordinal));
        var scaled = await Services.GetAsync(Admin, ns, "classifier");
        Assert.Equal("True", Services.Condition(scaled, ConditionTypes.ScalingActive));
        Assert.NotNull(scaled.Status?.Autoscaling?.LastDecision?.Reason);

        await loadStop.CancelAsync();
        await Task.WhenAll(load);
        await Eventually.HoldsAsync("back to one replica after the window", async () => (await Admin.AppsV1.ReadNamespacedDeploymentAsync("classifier", ns)).Spec.Replicas == 1,
            TimeSpan.FromSeconds(60), seen: async () => Services.Describe(await Services.GetAsync(Admin, ns, "classifier")));
    }

    /// <summary>One closed-loop client spreading requests over the pods that are Ready now.</summary>
    private static async Task LoadAsync(KubeletStandIn kubelet, int client, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var image = V2Requests.RandomFloats(3 * 224 * 224, seed: client);
        var turn = client;
        while (!cancellationToken.IsCancellationRequested)
        {
            var ready = kubelet.Ready.Values.ToList();
            if (ready.Count == 0)
            {
                await Task.Delay(50, CancellationToken.None);
                continue;
            }
            try
            {
                using var response = await http.PostAsync(new Uri(PodServers.Url(ready[turn++ % ready.Count]), "/v2/models/classifier/infer"),
                    V2Requests.Binary("input", [1, 3, 224, 224], image), cancellationToken);
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"unexpected {response.StatusCode}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
