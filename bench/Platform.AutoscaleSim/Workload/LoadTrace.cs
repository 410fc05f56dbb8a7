namespace Platform.AutoscaleSim.Workload;

/// <summary>Offered load over time, as a multiple of a base rate.</summary>
public sealed record LoadTrace(string Name, string Description, double DurationSeconds, Func<double, double> Multiplier)
{
    /// <summary>Base load for 2 min, ×5 for 5 min, back to base for 8 min (to see the scale-down).</summary>
    public static LoadTrace Step => new("step", "×1 → ×5 at 120 s → ×1 at 420 s", 900, t => t is >= 120 and < 420 ? 5 : 1);

    /// <summary>Linear ramp from ×1 to ×5 over 5 min, a 1 min plateau, linear back over 2 min.</summary>
    public static LoadTrace Ramp => new("ramp", "×1 → linear to ×5 over 60–360 s → hold → linear to ×1 over 420–540 s", 900, t => t switch
    {
        < 60 => 1,
        < 360 => 1 + (4 * (t - 60) / 300),
        < 420 => 5,
        < 540 => 5 - (4 * (t - 420) / 120),
        _ => 1,
    });

    /// <summary>A 30 s spike to ×4.</summary>
    public static LoadTrace Spike => new("spike", "×1, ×4 for 30 s at 240 s", 600, t => t is >= 240 and < 270 ? 4 : 1);

    /// <summary>One day compressed into 15 min: night at ×1, noon at ×5, smooth in between.</summary>
    public static LoadTrace Diurnal => new("diurnal", "one day in 900 s: ×1 at night, ×5 at noon (raised cosine)", 900,
        t => 1 + (4 * (1 - Math.Cos(2 * Math.PI * t / 900)) / 2));

    public static IReadOnlyList<LoadTrace> All => [Step, Ramp, Spike, Diurnal];
}
