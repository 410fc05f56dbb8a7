namespace Platform.AutoscaleSim.Simulation;

/// <summary>One point per simulated second, for the plots.</summary>
public readonly record struct SecondSample(double At, double Rate, int Replicas, int ReadyPods);

/// <summary>The outcome of one trace under one autoscaler.</summary>
public sealed record RunResult(
    string Curve,
    string Trace,
    string Policy,
    long Offered,
    long Answered,
    long WithinSlo,
    long Refused,
    int Windows,
    int WindowsMeetingSlo,
    double ReplicaSeconds,
    IReadOnlyList<SecondSample> Seconds,
    IReadOnlyList<double> WindowP95,
    string Notes)
{
    /// <summary>Fraction of offered requests answered within the SLO (refused ones are misses).</summary>
    public double RequestAttainment => Offered == 0 ? 1 : (double)WithinSlo / Offered;

    /// <summary>Fraction of 10 s windows whose p95 (refused = infinite) met the SLO.</summary>
    public double WindowAttainment => Windows == 0 ? 1 : (double)WindowsMeetingSlo / Windows;
}
