using System.Collections.Immutable;

namespace Platform.Operator.Autoscaling.Policy;

/// <summary>Whether a step policy limits by a number of pods or a percentage of the replicas.</summary>
public enum StepPolicyKind
{
    Pods,
    Percent,
}

/// <summary>
/// At most <see cref="Value"/> pods (or percent) of change per <see cref="Period"/>, as in
/// the HPA's <c>behavior.scaleUp/scaleDown.policies</c>.
/// </summary>
public sealed record StepPolicy(StepPolicyKind Kind, int Value, TimeSpan Period);

/// <summary>Which step policy wins when several apply (HPA <c>selectPolicy</c>).</summary>
public enum StepPolicySelection
{
    /// <summary>The policy allowing the largest change (the HPA default).</summary>
    Max,

    /// <summary>The policy allowing the smallest change.</summary>
    Min,

    /// <summary>No change in this direction at all.</summary>
    Disabled,
}

/// <summary>
/// The rules for one direction of scaling: a stabilization window over past
/// recommendations and step policies that bound the change per period.
/// </summary>
public sealed record ScalingRules(TimeSpan StabilizationWindow, ImmutableArray<StepPolicy> Policies, StepPolicySelection Select = StepPolicySelection.Max)
{
    /// <summary>HPA's default for scaling up: no window; the larger of 4 pods and 100% per 15 s.</summary>
    public static readonly ScalingRules DefaultScaleUp = new(
        TimeSpan.Zero,
        [new StepPolicy(StepPolicyKind.Pods, 4, TimeSpan.FromSeconds(15)), new StepPolicy(StepPolicyKind.Percent, 100, TimeSpan.FromSeconds(15))]);

    /// <summary>HPA's default for scaling down: a 300 s window; up to 100% per 15 s.</summary>
    public static readonly ScalingRules DefaultScaleDown = new(
        TimeSpan.FromSeconds(300),
        [new StepPolicy(StepPolicyKind.Percent, 100, TimeSpan.FromSeconds(15))]);

    /// <summary>The longest step-policy period: how far back scale events matter.</summary>
    public TimeSpan LongestPeriod => Policies.IsDefaultOrEmpty ? TimeSpan.Zero : Policies.Max(p => p.Period);

    internal void Validate(string direction, List<string> errors)
    {
        if (StabilizationWindow < TimeSpan.Zero)
        {
            errors.Add($"{direction} stabilization window must not be negative (was {StabilizationWindow}).");
        }

        if (Policies.IsDefaultOrEmpty && Select != StepPolicySelection.Disabled)
        {
            errors.Add($"{direction} needs at least one step policy unless it is disabled.");
            return;
        }

        foreach (var policy in Policies.IsDefault ? [] : Policies)
        {
            if (policy.Value <= 0)
            {
                errors.Add($"{direction} step policy value must be positive (was {policy.Value}).");
            }

            if (policy.Period <= TimeSpan.Zero)
            {
                errors.Add($"{direction} step policy period must be positive (was {policy.Period}).");
            }
        }
    }
}
