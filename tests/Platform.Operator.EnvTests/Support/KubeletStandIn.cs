using k8s;
using k8s.Models;

namespace Platform.Operator.EnvTests.Support;

/// <summary>
/// What the scheduler and kubelet would do, for the Pods of one namespace (the control plane has
/// neither): bind each new Pod to a node, report it Running and Ready with an IP from
/// <paramref name="podIp"/> (null: leave it Pending), and finish the deletion of Pods being deleted (no kubelet confirms it).
/// </summary>
internal sealed class KubeletStandIn : IAsyncDisposable
{
    public const string NodeName = "envtest-node";
    private readonly IKubernetes _client;
    private readonly string _namespace;
    private readonly Func<V1Pod, string?> _podIp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public KubeletStandIn(IKubernetes client, string ns, Func<V1Pod, string?>? podIp = null)
    {
        _client = client;
        _namespace = ns;
        _podIp = podIp ?? (_ => "127.0.0.1");
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Pods reported ready so far (name → IP).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> Ready { get; } = new();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await EnsureNodeAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                foreach (var pod in (await _client.CoreV1.ListNamespacedPodAsync(_namespace, cancellationToken: cancellationToken)).Items)
                {
                    await TendAsync(pod, cancellationToken);
                }
                await Task.Delay(200, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                // A pod went away or changed meanwhile: the next round sees the new state.
            }
        }
    }

    private async Task TendAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var name = pod.Metadata.Name;
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(name, _namespace, new V1DeleteOptions { GracePeriodSeconds = 0 }, gracePeriodSeconds: 0, cancellationToken: cancellationToken);
            Ready.TryRemove(name, out _);
            return;
        }
        if (string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            await _client.CoreV1.CreateNamespacedPodBindingAsync(
                new V1Binding { Metadata = new V1ObjectMeta { Name = name }, Target = new V1ObjectReference { Kind = "Node", Name = NodeName } },
                name, _namespace, cancellationToken: cancellationToken);
        }
        if (pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true) return;
        // No address for it (every process behind a pod is taken): it stays Pending, as on a full node.
        if (_podIp(pod) is not { } ip) return;
        var now = DateTime.UtcNow;
        var status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = ip,
            PodIPs = [new V1PodIP { Ip = ip }],
            HostIP = "127.0.0.1",
            StartTime = now,
            Conditions =
            [
                new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = now },
                new V1PodCondition { Type = "Initialized", Status = "True", LastTransitionTime = now },
                new V1PodCondition { Type = "ContainersReady", Status = "True", LastTransitionTime = now },
                new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = now },
            ],
            ContainerStatuses = pod.Spec.Containers.Select(c => new V1ContainerStatus
            {
                Name = c.Name, Image = c.Image, ImageID = "envtest://" + c.Image, Ready = true, Started = true, RestartCount = 0,
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = now } },
            }).ToList(),
        };
        await _client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch(KubernetesJson.Serialize(new { status }), V1Patch.PatchType.MergePatch), name, _namespace, cancellationToken: cancellationToken);
        Ready[name] = ip;
    }

    private async Task EnsureNodeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = NodeName } }, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Another stand-in made it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
