namespace Platform.AutoscaleSim.Autoscalers;

/// <summary>Maps simulation seconds onto the wall-clock type the operator's code takes.</summary>
internal static class SimClock
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => Epoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}
