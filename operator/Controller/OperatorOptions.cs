namespace Platform.Operator.Controller;

/// <summary>The operator process's settings (section "Operator"), validated at start.</summary>
public sealed class OperatorOptions
{
    /// <summary>Inference pod image for InferenceServices that name none.</summary>
    public string DefaultImage { get; set; } = "ghcr.io/platform/inference-pod:0.1.0";
    /// <summary>Only this namespace is watched; empty means all namespaces.</summary>
    public string? WatchNamespace { get; set; }
    public int Workers { get; set; } = 4;
    public double ResyncSeconds { get; set; } = 300;
    public string ClusterDomain { get; set; } = "cluster.local";
    public LeaderElectionOptions LeaderElection { get; set; } = new();
    public AutoscalerOptions Autoscaler { get; set; } = new();

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DefaultImage)) errors.Add("Operator:DefaultImage is required");
        if (Workers is < 1 or > 64) errors.Add($"Operator:Workers must be between 1 and 64 (got {Workers})");
        if (ResyncSeconds is < 1 or > 86400) errors.Add($"Operator:ResyncSeconds must be between 1 and 86400 (got {ResyncSeconds})");
        errors.AddRange(LeaderElection.Validate());
        errors.AddRange(Autoscaler.Validate());
        return errors;
    }
}

/// <summary>Leader election on a coordination.k8s.io Lease (section "Operator:LeaderElection").</summary>
public sealed class LeaderElectionOptions
{
    public bool Enabled { get; set; }
    public string Namespace { get; set; } = "platform-system";
    public string LeaseName { get; set; } = "platform-operator";
    /// <summary>This replica's identity; default: the host (pod) name.</summary>
    public string? Identity { get; set; }
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

/// <summary>The builtin autoscaler's process-wide settings (section "Operator:Autoscaler"); targets live in each InferenceService.</summary>
public sealed class AutoscalerOptions
{
    /// <summary>How often the loop looks for services whose round is due.</summary>
    public double TickSeconds { get; set; } = 1;
    /// <summary>Longest wait for one pod's /metrics.</summary>
    public double ScrapeTimeoutSeconds { get; set; } = 2;
    /// <summary>Largest /metrics body read from a pod.</summary>
    public long MaxMetricsBytes { get; set; } = 4 * 1024 * 1024;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (TickSeconds is <= 0 or > 60) errors.Add($"Operator:Autoscaler:TickSeconds must be in (0, 60] (got {TickSeconds})");
        if (ScrapeTimeoutSeconds is <= 0 or > 60) errors.Add($"Operator:Autoscaler:ScrapeTimeoutSeconds must be in (0, 60] (got {ScrapeTimeoutSeconds})");
        if (MaxMetricsBytes is < 1024 or > 256L * 1024 * 1024) errors.Add($"Operator:Autoscaler:MaxMetricsBytes must be between 1024 and 268435456 (got {MaxMetricsBytes})");
        return errors;
    }
}
