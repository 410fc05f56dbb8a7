namespace Platform.Operator.Autoscaling.Policy;

/// <summary>
/// Panic mode after Knative's KPA: when the short-window proposal reaches
/// <see cref="Threshold"/> times the ready pods, scale up to it at once (no step limit) and
/// do not scale down until <see cref="CalmWindow"/> has passed without that happening.
/// </summary>
public sealed record PanicSettings
{
    public static readonly PanicSettings Default = new();

    public bool Enabled { get; init; } = true;

    /// <summary>Short-window proposal over ready pods that starts panic (KPA: 2.0, i.e. 200%).</summary>
    public double Threshold { get; init; } = 2.0;

    /// <summary>How long the trigger must stay away before panic ends (KPA: the 60 s stable window).</summary>
    public TimeSpan CalmWindow { get; init; } = TimeSpan.FromSeconds(60);

    internal void Validate(List<string> errors)
    {
        if (!(Threshold > 1))
        {
            errors.Add($"panic threshold must be greater than 1 (was {Threshold}).");
        }

        if (CalmWindow < TimeSpan.Zero)
        {
            errors.Add($"panic calm window must not be negative (was {CalmWindow}).");
        }
    }
}
