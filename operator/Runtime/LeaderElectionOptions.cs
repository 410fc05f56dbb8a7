namespace Platform.Operator.Runtime;

/// <summary>Leader election on a coordination.k8s.io Lease (section "Operator:LeaderElection").</summary>
public sealed class LeaderElectionOptions
{
    public bool Enabled { get; set; }
    public string Namespace { get; set; } = "platform-system";
    public string LeaseName { get; set; } = "platform-operator";
    /// <summary>This replica's identity; default: the host (pod) name.</summary>
    public string? Identity { get; set; }

    /// <summary>The identity in use: <see cref="Identity"/>, else the host (pod) name.</summary>
    public string EffectiveIdentity => string.IsNullOrWhiteSpace(Identity) ? Environment.MachineName : Identity;
    public double LeaseDurationSeconds { get; set; } = 15;
    public double RenewDeadlineSeconds { get; set; } = 10;
    public double RetryPeriodSeconds { get; set; } = 2;

    /// <summary>Timing must leave room to renew before the lease lapses (client-go's rule).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enabled) return errors;
        if (LeaseDurationSeconds <= RenewDeadlineSeconds)
            errors.Add($"Operator:LeaderElection:LeaseDurationSeconds ({LeaseDurationSeconds}) must be greater than RenewDeadlineSeconds ({RenewDeadlineSeconds})");
        if (RenewDeadlineSeconds <= 1.2 * RetryPeriodSeconds)
            errors.Add($"Operator:LeaderElection:RenewDeadlineSeconds ({RenewDeadlineSeconds}) must be greater than 1.2 x RetryPeriodSeconds ({RetryPeriodSeconds})");
        if (RetryPeriodSeconds <= 0) errors.Add("Operator:LeaderElection:RetryPeriodSeconds must be positive");
        return errors;
    }
}
