using Platform.Operator.Runtime;

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
    /// <summary>
    /// Seconds a stopping replica keeps serving in its preStop sleep while endpoint removal
    /// spreads; 0 turns the hook off. On servers before 1.30 (no sleep action) it goes to the drain.
    /// </summary>
    public int PreStopSleepSeconds { get; set; } = 5;
    public LeaderElectionOptions LeaderElection { get; set; } = new();
    public AutoscalerOptions Autoscaler { get; set; } = new();

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DefaultImage)) errors.Add("Operator:DefaultImage is required");
        if (Workers is < 1 or > 64) errors.Add($"Operator:Workers must be between 1 and 64 (got {Workers})");
        if (ResyncSeconds is < 1 or > 86400) errors.Add($"Operator:ResyncSeconds must be between 1 and 86400 (got {ResyncSeconds})");
        if (PreStopSleepSeconds is < 0 or > 300) errors.Add($"Operator:PreStopSleepSeconds must be between 0 and 300 (got {PreStopSleepSeconds})");
        errors.AddRange(LeaderElection.Validate());
        errors.AddRange(Autoscaler.Validate());
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
