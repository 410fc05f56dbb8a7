namespace Platform.Operator.Autoscaling.Signals;

/// <summary>
/// A pod of the service as the cluster reports it. <paramref name="Ready"/> is the pod's
/// Ready condition: a pod still starting or warming up is not ready and serves nothing.
/// Terminating pods are left out by the caller.
/// </summary>
public sealed record PodState(string Name, bool Ready);
