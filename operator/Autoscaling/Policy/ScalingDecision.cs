namespace Platform.Operator.Autoscaling.Policy;

/// <summary>
/// The outcome of one decision. <see cref="History"/> must be passed to the next decision
/// of the same service.
/// </summary>
/// <param name="DesiredReplicas">The replica count to set.</param>
/// <param name="Reason">The rule that shaped the count.</param>
/// <param name="Message">The decision in words, with the numbers behind it (for status and events).</param>
/// <param name="SignalsValid">False when there was no metric to decide on.</param>
/// <param name="ProposedReplicas">The count the signals alone asked for, before windows, limits and bounds.</param>
/// <param name="Panicking">True while panic mode holds.</param>
public sealed record ScalingDecision(
    int DesiredReplicas,
    ScalingReason Reason,
    string Message,
    bool SignalsValid,
    int ProposedReplicas,
    bool Panicking,
    ScalingHistory History);
