using k8s.Models;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class PodDiagnosisTests
{
    public static TheoryData<V1Pod, string, string> ProblemPods() => new()
    {
        { TestPods.Waiting("p", "ImagePullBackOff", "Back-off pulling image"), "ImagePullFailed", "image 'registry.example.com/pod:1' cannot be pulled (ImagePullBackOff: Back-off pulling image)" },
        { TestPods.Waiting("p", "ErrImagePull", "not found"), "ImagePullFailed", "cannot be pulled (ErrImagePull: not found)" },
        { TestPods.Unschedulable("p", "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.", gpus: 2), "InsufficientGPU", "no node has 2 free nvidia.com/gpu" },
        { TestPods.Unschedulable("p", "0/3 nodes are available: 3 Insufficient cpu."), "Unschedulable", "cannot be scheduled (0/3 nodes are available: 3 Insufficient cpu.)" },
        { TestPods.Unschedulable("p", "persistentvolumeclaim \"models\" not found"), "ModelVolumeFailed", "spec.model.source.pvc.claimName" },
        { TestPods.Waiting("p", "CrashLoopBackOff", last: new V1ContainerStateTerminated { Reason = "OOMKilled", ExitCode = 137 }, restarts: 4), "OOMKilled", "running out of memory (4 restarts)" },
        { TestPods.Waiting("p", "CrashLoopBackOff", last: new V1ContainerStateTerminated { Reason = "Error", ExitCode = 1, Message = "Model:Path not found\n" }, restarts: 3), "CrashLoopBackOff", "keeps crashing (last exit code 1: Model:Path not found), 3 restarts. See kubectl logs p --previous." },
        { TestPods.Waiting("p", "CrashLoopBackOff", last: new V1ContainerStateTerminated { Reason = "Error", ExitCode = 2, Message = "GpuRuntimeUnavailable: Model:ExecutionProvider is 'cuda' but the CUDA execution provider cannot load: libcudart.so.13, libcudnn.so.9 not found. It needs CUDA 13\n" }, restarts: 2), "GpuRuntimeUnavailable", "pod p cannot use the GPU: Model:ExecutionProvider is 'cuda' but the CUDA execution provider cannot load: libcudart.so.13, libcudnn.so.9 not found. It needs CUDA 13. Use the GPU image on a node with an NVIDIA driver >= 580" },
        { TestPods.Waiting("p", "CrashLoopBackOff", last: new V1ContainerStateTerminated { Reason = "Error", ExitCode = 2, Message = "GpuRuntimeUnavailable: Model:DeviceId is 1 but 1 CUDA device(s) are visible (ids 0 to 0)" }, restarts: 1), "GpuRuntimeUnavailable", "cannot use the GPU: Model:DeviceId is 1 but 1 CUDA device(s) are visible" },
        { TestPods.Waiting("p", "CrashLoopBackOff", last: new V1ContainerStateTerminated { Reason = "Error", ExitCode = 2, Message = "Model:Path '/models/m.onnx' does not exist" }, restarts: 1), "CrashLoopBackOff", "keeps crashing (last exit code 2: Model:Path '/models/m.onnx' does not exist)" },
        { TestPods.Waiting("p", "CreateContainerConfigError", "secret \"s\" not found"), "ContainerConfigError", "secret \"s\" not found" },
        { TestPods.Starting("p", restarts: 2), "WarmupFailing", "restarted 2 times without becoming ready" },
        { TestPods.NotReady("p"), "ReadinessFailing", "readiness probe (/v2/health/ready) fails" },
    };

    [Theory]
    [MemberData(nameof(ProblemPods))]
    public void A_failing_pod_is_named_with_an_actionable_reason(V1Pod pod, string reason, string messagePart)
    {
        var problem = Assert.Single(PodDiagnosis.Diagnose([pod]));

        Assert.Equal("p", problem.Pod);
        Assert.Equal(reason, problem.Reason);
        Assert.Contains(messagePart, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Healthy_starting_and_terminating_pods_are_not_problems()
    {
        var terminating = TestPods.Waiting("t", "ImagePullBackOff");
        terminating.Metadata.DeletionTimestamp = DateTime.UtcNow;

        Assert.Empty(PodDiagnosis.Diagnose([TestPods.Ready("a"), TestPods.Starting("b"), TestPods.Pod("c"), terminating, TestPods.Waiting("d", "ContainerCreating")]));
    }

    [Fact]
    public void Problems_come_most_important_first()
    {
        var problems = PodDiagnosis.Diagnose(
        [
            TestPods.NotReady("a"),
            TestPods.Waiting("b", "CrashLoopBackOff", restarts: 1),
            TestPods.Unschedulable("c", "Insufficient nvidia.com/gpu", gpus: 1),
            TestPods.Waiting("d", "ImagePullBackOff"),
        ]);

        Assert.Equal(["InsufficientGPU", "ImagePullFailed", "CrashLoopBackOff", "ReadinessFailing"], problems.Select(p => p.Reason));
    }
}
