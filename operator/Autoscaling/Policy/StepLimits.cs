namespace Platform.Operator.Autoscaling.Policy;

/// <summary>
/// The HPA's step policies: the change allowed in a period is measured from the replica
/// count at the start of that period (the current count less the changes made since).
/// </summary>
public static class StepLimits
{
    /// <summary>The highest count allowed now; never below <paramref name="currentReplicas"/>.</summary>
    public static int UpperLimit(DateTimeOffset now, int currentReplicas, IEnumerable<ScaleEvent> events, ScalingRules scaleUp)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(scaleUp);
        if (scaleUp.Select == StepPolicySelection.Disabled)
        {
            return currentReplicas;
        }

        var limit = scaleUp.Select == StepPolicySelection.Max ? int.MinValue : int.MaxValue;
        foreach (var policy in scaleUp.Policies)
        {
            var periodStart = currentReplicas - ChangeSince(now - policy.Period, events);
            long proposed = policy.Kind == StepPolicyKind.Pods
                ? (long)periodStart + policy.Value
                : (long)Math.Ceiling(periodStart * (1 + (policy.Value / 100.0)));
            var bounded = (int)Math.Clamp(proposed, 0, int.MaxValue);
            limit = scaleUp.Select == StepPolicySelection.Max ? Math.Max(limit, bounded) : Math.Min(limit, bounded);
        }

        return Math.Max(limit, currentReplicas);
    }

    /// <summary>The lowest count allowed now; never above <paramref name="currentReplicas"/>.</summary>
    public static int LowerLimit(DateTimeOffset now, int currentReplicas, IEnumerable<ScaleEvent> events, ScalingRules scaleDown)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(scaleDown);
        if (scaleDown.Select == StepPolicySelection.Disabled)
        {
            return currentReplicas;
        }

        var limit = scaleDown.Select == StepPolicySelection.Max ? int.MaxValue : int.MinValue;
        foreach (var policy in scaleDown.Policies)
        {
            var periodStart = currentReplicas - ChangeSince(now - policy.Period, events);
            var proposed = policy.Kind == StepPolicyKind.Pods
                ? periodStart - policy.Value
                : (int)(periodStart * (1 - (policy.Value / 100.0)));
            limit = scaleDown.Select == StepPolicySelection.Max ? Math.Min(limit, proposed) : Math.Max(limit, proposed);
        }

        return Math.Min(limit, currentReplicas);
    }

    private static int ChangeSince(DateTimeOffset cutoff, IEnumerable<ScaleEvent> events)
    {
        var change = 0;
        foreach (var e in events)
        {
            if (e.At > cutoff)
            {
                change += e.Change;
            }
        }

        return change;
    }
}
