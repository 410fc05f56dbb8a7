using System.Net;
using System.Text.Json.Nodes;
using Platform.InferencePod.Tests.Support;
using Platform.KubeApiDouble;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Tests.EndToEnd;

namespace Platform.Contracts.Tests;

/// <summary>
/// The operator's autoscaler against the API double, with real inference-pod processes on
/// loopback as the pods (their addresses reported as pod IPs): load raises the replica count,
/// quiet brings it back down after the stabilization window.
/// </summary>
public sealed class AutoscalingEndToEndTests
{
    private static readonly string MobileNet = Path.Combine(AppContext.BaseDirectory, "models", "mobilenet_v2.onnx");
    private const int MaxReplicas = 3;
    private static readonly TimeSpan StartupBound = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Load_scales_the_service_up_and_quiet_scales_it_back_down()
    {
        var processes = Enumerable.Range(0, MaxReplicas).Select(_ => PodProcess.Start(
            $"--Model:Path={MobileNet}", "--Model:Name=classifier", "--Model:IntraOpThreads=1", "--Batching:MaxBatchSize=1", "--Warmup:Iterations=1")).ToList();
        try
        {
            await PodProcess.ExplainingFailuresAsync(processes, async () =>
            {
                // Three pods warm up at once, and under `dotnet test Platform.sln` beside every other test
                // assembly: on two cores that has taken over a minute. Readiness decides; the bound only
                // catches a hung pod.
                await Task.WhenAll(processes.Select(p => p.WaitReadyAsync(StartupBound)));
                await using var cluster = await OperatorCluster.StartAsync("--Operator:Autoscaler:TickSeconds=0.2");
                await cluster.CreateAsync(OperatorCluster.NewService("classifier", spec =>
                {
                    spec.Model.Name = "classifier";
                    spec.Autoscaling.MinReplicas = 1;
                    spec.Autoscaling.MaxReplicas = MaxReplicas;
                    spec.Autoscaling.TargetQueueDepth = 2;
                    spec.Autoscaling.MetricsIntervalSeconds = 1;
                    spec.Autoscaling.ScaleDown.StabilizationWindowSeconds = 3;
                }));
                using var stop = new CancellationTokenSource();
                var kubelet = SimulatePodsAsync(cluster, processes, stop.Token);
                await cluster.WaitForAsync(KubeResources.Deployments, "classifier", d => Replicas(d) == 1);

                using var loadStop = new CancellationTokenSource();
                var load = Enumerable.Range(0, 12).Select(i => LoadAsync(cluster, processes, i, loadStop.Token)).ToList();
                try
                {
                    await cluster.Api.WaitForAsync(() => Replicas(cluster.Get(KubeResources.Deployments, "classifier")) >= 2, TimeSpan.FromSeconds(40));
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException($"no scale-up. status: {cluster.Get(OperatorCluster.InferenceServices, "classifier")?["status"]?.ToJsonString()}; events: {string.Join(" | ", cluster.Events("classifier").Select(e => $"{e["reason"]}: {e["message"]}"))}; pods: {string.Join(",", cluster.Api.Store.List(KubeResources.Pods, "ml").Select(p => p["metadata"]!["name"]))}");
                }
                await cluster.Api.WaitForAsync(() => cluster.Events("classifier").Any(e => (string?)e["reason"] == "Scaled"), TimeSpan.FromSeconds(10));
                var scaled = await cluster.WaitForAsync(OperatorCluster.InferenceServices, "classifier", s => OperatorCluster.Condition(s, ConditionTypes.ScalingActive) == "True");
                Assert.True((double?)scaled["status"]!["autoscaling"]!["queueDepth"] >= 0);
                Assert.NotNull(scaled["status"]!["autoscaling"]!["lastDecision"]!["reason"]);

                await loadStop.CancelAsync();
                await Task.WhenAll(load);
                await cluster.Api.WaitForAsync(() => Replicas(cluster.Get(KubeResources.Deployments, "classifier")) == 1, TimeSpan.FromSeconds(40));

                await stop.CancelAsync();
                await kubelet;
            });
        }
        finally
        {
            foreach (var process in processes) await process.DisposeAsync();
        }
    }

    private static int Replicas(JsonObject? deployment) => (int?)deployment?["spec"]?["replicas"] ?? -1;

    /// <summary>What the Deployment controller and kubelet would do: keep one ready Pod object per replica, each backed by a real pod process.</summary>
    private static async Task SimulatePodsAsync(OperatorCluster cluster, IReadOnlyList<PodProcess> processes, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var replicas = Math.Min(Replicas(cluster.Get(KubeResources.Deployments, "classifier")), processes.Count);
            for (var i = 0; i < processes.Count; i++)
            {
                var name = $"classifier-{i}";
                var exists = cluster.Get(KubeResources.Pods, name) is not null;
                if (i < replicas && !exists)
                {
                    // Status is the kubelet's to write: create, then report the pod running and ready.
                    cluster.Api.Store.Create(Pod(name, processes[i].Port));
                    cluster.Api.Store.Mutate(KubeResources.Pods, "ml", name, pod => pod["status"] = RunningStatus());
                }
                if (i >= replicas && exists) cluster.Api.Store.Delete(KubeResources.Pods, "ml", name);
            }
            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static JsonObject Pod(string name, int port) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "ml",
            ["labels"] = new JsonObject
            {
                ["serving.platform.dev/inferenceservice"] = "classifier",
                ["app.kubernetes.io/managed-by"] = "platform-operator",
            },
            ["annotations"] = new JsonObject { ["prometheus.io/port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "model-server", ["image"] = "pod:1" }) },
    };

    private static JsonObject RunningStatus() => new()
    {
        ["phase"] = "Running",
        ["podIP"] = "127.0.0.1",
        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
    };

    /// <summary>One closed-loop client spreading requests over the pods that currently exist.</summary>
    private static async Task LoadAsync(OperatorCluster cluster, IReadOnlyList<PodProcess> processes, int client, CancellationToken cancellationToken)
    {
        var image = V2Requests.RandomFloats(3 * 224 * 224, seed: client);
        var turn = client;
        while (!cancellationToken.IsCancellationRequested)
        {
            var live = Enumerable.Range(0, processes.Count).Where(i => cluster.Get(KubeResources.Pods, $"classifier-{i}") is not null).ToList();
            if (live.Count == 0) live.Add(0);
            var target = processes[live[turn++ % live.Count]];
            try
            {
                using var response = await target.Client.PostAsync("/v2/models/classifier/infer", V2Requests.Binary("input", [1, 3, 224, 224], image), cancellationToken);
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"unexpected {response.StatusCode}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
