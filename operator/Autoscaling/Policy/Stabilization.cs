namespace Platform.Operator.Autoscaling.Policy;

/// <summary>How a stabilization step changed a proposal.</summary>
public enum StabilizationOutcome
{
    Unchanged,
    HeldByScaleUpWindow,
    HeldByScaleDownWindow,
}

/// <summary>
/// The HPA's stabilization windows: a scale-up goes no higher than the lowest
/// recommendation of the scale-up window, a scale-down no lower than the highest of the
/// scale-down window. Both windows include the recommendation being made now.
/// </summary>
public static class Stabilization
{
    public static (int Replicas, StabilizationOutcome Outcome) Apply(
        DateTimeOffset now,
        int currentReplicas,
        int recommendation,
        IEnumerable<TimedRecommendation> earlier,
        TimeSpan scaleUpWindow,
        TimeSpan scaleDownWindow)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var upCutoff = now - scaleUpWindow;
        var downCutoff = now - scaleDownWindow;
        var upBound = recommendation;
        var downBound = recommendation;
        foreach (var past in earlier)
        {
            if (past.At > upCutoff)
            {
                upBound = Math.Min(upBound, past.Replicas);
            }

            if (past.At > downCutoff)
            {
                downBound = Math.Max(downBound, past.Replicas);
            }
        }

        var stabilized = currentReplicas;
        var outcome = StabilizationOutcome.Unchanged;
        if (stabilized < upBound)
        {
            stabilized = upBound;
        }

        if (stabilized > downBound)
        {
            stabilized = downBound;
        }

        if (stabilized != recommendation)
        {
            outcome = recommendation > currentReplicas ? StabilizationOutcome.HeldByScaleUpWindow : StabilizationOutcome.HeldByScaleDownWindow;
        }

        return (stabilized, outcome);
    }
}
