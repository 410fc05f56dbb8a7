using k8s.Models;

namespace Platform.Operator.Tests.Reconciliation;

/// <summary>Pods in the states the kubelet and scheduler report.</summary>
internal static class TestPods
{
    public static V1Pod Pod(string name, V1ContainerStatus? container = null, V1PodCondition? condition = null, int gpus = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "server",
                    Resources = gpus > 0 ? new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture)) } } : null,
                },
            ],
        },
        Status = new V1PodStatus
        {
            Conditions = condition is null ? null : [condition],
            ContainerStatuses = container is null ? null : [container],
        },
    };

    public static V1Pod Ready(string name) => Pod(name, Container(running: true, started: true, ready: true));

    public static V1Pod Starting(string name, int restarts = 0) => Pod(name, Container(running: true, started: false, ready: false, restarts: restarts));

    public static V1Pod NotReady(string name) => Pod(name, Container(running: true, started: true, ready: false));

    public static V1Pod Waiting(string name, string reason, string message = "", V1ContainerStateTerminated? last = null, int restarts = 0) =>
        Pod(name, new V1ContainerStatus
        {
            Name = "server",
            Image = "registry.example.com/pod:1",
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } },
            LastState = last is null ? null : new V1ContainerState { Terminated = last },
            RestartCount = restarts,
        });

    public static V1Pod Unschedulable(string name, string message, int gpus = 0) =>
        Pod(name, condition: new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = message }, gpus: gpus);

    public static V1ContainerStatus Container(bool running, bool started, bool ready, int restarts = 0) => new()
    {
        Name = "server",
        Image = "registry.example.com/pod:1",
        State = running ? new V1ContainerState { Running = new V1ContainerStateRunning() } : new V1ContainerState(),
        Started = started,
        Ready = ready,
        RestartCount = restarts,
    };
}
