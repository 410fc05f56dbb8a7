using Platform.Operator.Autoscaling.Policy;

namespace Platform.AutoscaleSim.Autoscalers;

/// <summary>
/// What the HPA does with a replica proposal (stabilization windows, step policies,
/// [min, max]), with its default behavior. The window and step rules are the operator's
/// implementations of the HPA's published rules.
/// </summary>
internal sealed class HpaBehavior(int minReplicas, int maxReplicas)
{
    private readonly List<TimedRecommendation> _recommendations = [];
    private readonly List<ScaleEvent> _events = [];

    public int Normalize(double now, int current, int proposal)
    {
        var at = SimClock.At(now);
        if (current > maxReplicas || current < minReplicas)
        {
            return Record(at, current, Math.Clamp(current, minReplicas, maxReplicas));
        }

        var up = ScalingRules.DefaultScaleUp;
        var down = ScalingRules.DefaultScaleDown;
        _recommendations.RemoveAll(r => r.At <= at - down.StabilizationWindow);
        _events.RemoveAll(e => e.At <= at - TimeSpan.FromSeconds(60));
        var (desired, _) = Stabilization.Apply(at, current, proposal, _recommendations, up.StabilizationWindow, down.StabilizationWindow);
        _recommendations.Add(new TimedRecommendation(at, proposal));
        if (desired > current)
        {
            desired = Math.Min(desired, StepLimits.UpperLimit(at, current, _events, up));
        }
        else if (desired < current)
        {
            desired = Math.Max(desired, StepLimits.LowerLimit(at, current, _events, down));
        }

        return Record(at, current, Math.Clamp(desired, minReplicas, maxReplicas));
    }

    private int Record(DateTimeOffset at, int current, int desired)
    {
        if (desired != current)
        {
            _events.Add(new ScaleEvent(at, desired - current));
        }

        return desired;
    }
}
