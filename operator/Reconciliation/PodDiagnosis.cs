using k8s.Models;
using Platform.Contracts;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// Reads the pods of an InferenceService for the failures a user must act on: images
/// that cannot be pulled, no node with enough GPUs, a missing model volume, crashes,
/// out-of-memory kills, warm-up that never finishes. Pods that are just starting, and pods
/// being deleted, are not problems.
/// </summary>
public static class PodDiagnosis
{
    /// <summary>Reasons in order of importance: the first explains the most.</summary>
    private static readonly string[] Severity =
    [
        ConditionReasons.InsufficientGpu,
        ConditionReasons.ModelVolumeFailed,
        ConditionReasons.Unschedulable,
        ConditionReasons.ImagePullFailed,
        ConditionReasons.ContainerConfigError,
        ConditionReasons.GpuRuntimeUnavailable,
        ConditionReasons.OutOfMemory,
        ConditionReasons.CrashLoopBackOff,
        ConditionReasons.WarmupFailing,
        ConditionReasons.ReadinessFailing,
    ];

    private static readonly HashSet<string> ImagePullReasons =
        ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable"];

    private static readonly HashSet<string> ConfigReasons =
        ["CreateContainerConfigError", "CreateContainerError", "RunContainerError"];

    /// <summary>Problems of all pods, most important first (then by pod name).</summary>
    public static IReadOnlyList<PodProblem> Diagnose(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return [.. pods
            .Where(p => p.Metadata?.DeletionTimestamp is null)
            .SelectMany(Diagnose)
            .OrderBy(p => Array.IndexOf(Severity, p.Reason))
            .ThenBy(p => p.Pod, StringComparer.Ordinal)];
    }

    private static IEnumerable<PodProblem> Diagnose(V1Pod pod)
    {
        var name = pod.Metadata?.Name ?? "(unnamed)";
        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (scheduled is { Status: "False", Reason: "Unschedulable" })
        {
            yield return Unschedulable(name, pod, scheduled.Message ?? "");
            yield break;
        }

        foreach (var container in pod.Status?.ContainerStatuses ?? [])
        {
            if (Diagnose(name, container) is { } problem)
            {
                yield return problem;
            }
        }
    }

    private static PodProblem Unschedulable(string name, V1Pod pod, string message)
    {
        if (message.Contains(PodTemplateBuilder.GpuResource, StringComparison.Ordinal))
        {
            var gpus = pod.Spec?.Containers?.Sum(c => c.Resources?.Limits is { } l && l.TryGetValue(PodTemplateBuilder.GpuResource, out var q) ? q.ToInt32() : 0) ?? 0;
            return new PodProblem(name, ConditionReasons.InsufficientGpu,
                $"pod {name} cannot be scheduled: no node has {gpus} free {PodTemplateBuilder.GpuResource} that it may use ({message}). Free or add GPU nodes, check nodeSelector/tolerations/affinity, or lower spec.resources.gpu.");
        }
        if (message.Contains("persistentvolumeclaim", StringComparison.OrdinalIgnoreCase))
        {
            return new PodProblem(name, ConditionReasons.ModelVolumeFailed,
                $"pod {name} cannot be scheduled because of its model volume ({message}). Check spec.model.source.pvc.claimName and that the claim is bound.");
        }
        return new PodProblem(name, ConditionReasons.Unschedulable,
            $"pod {name} cannot be scheduled ({message}). Check resources, nodeSelector, tolerations and affinity.");
    }

    private static PodProblem? Diagnose(string pod, V1ContainerStatus container)
    {
        var waiting = container.State?.Waiting;
        var lastTerminated = container.LastState?.Terminated;
        if (GpuRuntimeUnavailable(pod, container.State?.Terminated ?? lastTerminated) is { } gpu)
        {
            return gpu;
        }
        if (waiting?.Reason is { } reason)
        {
            if (ImagePullReasons.Contains(reason))
            {
                return new PodProblem(pod, ConditionReasons.ImagePullFailed,
                    $"pod {pod}: image '{container.Image}' cannot be pulled ({reason}: {waiting.Message}). Check spec.image, the registry and the pull secrets.");
            }
            if (ConfigReasons.Contains(reason))
            {
                return new PodProblem(pod, ConditionReasons.ContainerConfigError,
                    $"pod {pod}: container cannot be created ({reason}: {waiting.Message}). Check spec.env references and the model volume.");
            }
            if (reason == "CrashLoopBackOff")
            {
                return Crashing(pod, container, lastTerminated);
            }
        }

        if (container.State?.Running is not null && container.Ready != true)
        {
            if (container.Started != true && container.RestartCount > 0)
            {
                return new PodProblem(pod, ConditionReasons.WarmupFailing,
                    $"pod {pod} restarted {container.RestartCount} times without becoming ready: the model did not load and warm up before the startup probe ({InferenceProtocol.ReadyPath}) gave up. See kubectl logs {pod} --previous.");
            }
            if (container.Started == true)
            {
                return new PodProblem(pod, ConditionReasons.ReadinessFailing,
                    $"pod {pod} is running but its readiness probe ({InferenceProtocol.ReadyPath}) fails.");
            }
        }
        return null;
    }

    /// <summary>The pod's own reason in its termination message: the CUDA provider could not start.</summary>
    private static PodProblem? GpuRuntimeUnavailable(string pod, V1ContainerStateTerminated? terminated)
    {
        if (!PodExitReasons.TryParse(terminated?.Message, out var reason, out var message) || reason != PodExitReasons.GpuRuntimeUnavailable)
        {
            return null;
        }
        return new PodProblem(pod, ConditionReasons.GpuRuntimeUnavailable,
            $"pod {pod} cannot use the GPU: {message}. Use the GPU image on a node with an NVIDIA driver >= 580 and spec.resources.gpu of at least 1, or spec.serving.executionProvider cpu.");
    }

    private static PodProblem Crashing(string pod, V1ContainerStatus container, V1ContainerStateTerminated? lastTerminated)
    {
        if (lastTerminated?.Reason == "OOMKilled")
        {
            return new PodProblem(pod, ConditionReasons.OutOfMemory,
                $"pod {pod} was killed for running out of memory ({container.RestartCount} restarts). Raise spec.resources.memory, or lower serving.queueCapacity, maxBatchSize or instances.");
        }
        var exit = lastTerminated is null ? "" : $" (last exit code {lastTerminated.ExitCode}{(string.IsNullOrEmpty(lastTerminated.Message) ? "" : ": " + lastTerminated.Message.Trim())})";
        return new PodProblem(pod, ConditionReasons.CrashLoopBackOff,
            $"pod {pod} keeps crashing{exit}, {container.RestartCount} restarts. See kubectl logs {pod} --previous.");
    }
}
