using System.Collections.Immutable;

namespace Platform.Operator.Autoscaling.Policy;

/// <summary>A forecast made at one moment for the rate at a later one, kept to measure its error.</summary>
public readonly record struct PendingForecast(DateTimeOffset Due, double Rate);

/// <summary>
/// Holt's linear smoothing (level and trend) of the service's arrival rate over irregular
/// intervals, and the root-mean-square relative error of its own past forecasts at the lead
/// time, counted only when the rate came out higher than forecast (a forecast too high costs
/// replica-seconds, one too low costs the SLO). Immutable; pure.
/// </summary>
public sealed record ArrivalForecast(double Level, double Trend, DateTimeOffset At, double SquaredError, int Checked, ImmutableList<PendingForecast> Pending)
{
    /// <summary>Weight of a new observation in the level.</summary>
    public const double LevelWeight = 0.5;

    /// <summary>Weight of a new slope in the trend.</summary>
    public const double TrendWeight = 0.3;

    /// <summary>Weight of a new forecast error in the squared-error average.</summary>
    public const double ErrorWeight = 0.1;

    /// <summary>The trend may add at most this fraction of the level over one lead time.</summary>
    public const double MaxTrendGrowth = 0.5;

    /// <summary>
    /// Forecast errors bigger than this (relative) are capped: a step no forecast could see
    /// is for the reactive guards, and must not hold the margin high for minutes after.
    /// </summary>
    private const double MaxRelativeError = 0.5;

    /// <summary>
    /// An observation this far (relative) from what the level and trend predicted for it is a
    /// level shift (a step), not noise or a ramp: at a 15 s scrape a ×5 ramp over five minutes
    /// moves the rate at most 20% between observations, a step moves it 100% or more. Holt's
    /// update would read a step as a steep trend and project it further (overshooting by up
    /// to <see cref="MaxTrendGrowth"/>); instead the level jumps to the rate, the trend is
    /// dropped, and the forecasts made before the shift are not scored: no forecast could
    /// see it, it is for the reactive guards, and scoring it would hold the margin high after.
    /// </summary>
    public const double LevelShift = 0.3;

    public static ArrivalForecast Start(DateTimeOffset at, double rate) => new(rate, 0, at, 0, 0, []);

    /// <summary>Takes in the rate observed at <paramref name="at"/>; an observation not after the last restarts the forecast.</summary>
    public ArrivalForecast Observe(DateTimeOffset at, double rate)
    {
        var dt = (at - At).TotalSeconds;
        if (!(dt > 0)) return Start(at, rate);
        var expected = Level + (Trend * dt);
        if (Math.Abs(rate - expected) > LevelShift * Math.Max(expected, 1))
        {
            return new ArrivalForecast(rate, 0, at, SquaredError, Checked, []);
        }

        var level = (LevelWeight * rate) + ((1 - LevelWeight) * (Level + (Trend * dt)));
        var trend = (TrendWeight * ((level - Level) / dt)) + ((1 - TrendWeight) * Trend);
        var squared = SquaredError;
        var count = Checked;
        var pending = Pending;
        while (!pending.IsEmpty && pending[0].Due <= at)
        {
            var predicted = pending[0].Rate;
            var error = Math.Min(MaxRelativeError, Math.Max(0, rate - predicted) / Math.Max(predicted, 1));
            squared = count == 0 ? error * error : squared + (ErrorWeight * ((error * error) - squared));
            count++;
            pending = pending.RemoveAt(0);
        }

        return new ArrivalForecast(level, trend, at, squared, count, pending);
    }

    /// <summary>
    /// The rate <paramref name="lead"/> ahead: never below the level (replicas can be removed
    /// at once, so a falling trend needs no lead), the trend's rise capped at
    /// <see cref="MaxTrendGrowth"/> of the level.
    /// </summary>
    public double Ahead(TimeSpan lead) =>
        Math.Max(0, Level + Math.Clamp(Trend * lead.TotalSeconds, 0, MaxTrendGrowth * Math.Max(Level, 0)));

    /// <summary>Remembers the forecast for <paramref name="lead"/> ahead, to score it when it is due.</summary>
    public ArrivalForecast Remember(TimeSpan lead, int keep = 64)
    {
        var pending = Pending.Add(new PendingForecast(At + lead, Ahead(lead)));
        return this with { Pending = pending.Count > keep ? pending.RemoveRange(0, pending.Count - keep) : pending };
    }

    /// <summary>The root-mean-square relative under-forecast at the lead time; null before any forecast was scored.</summary>
    public double? RelativeError => Checked == 0 ? null : Math.Sqrt(SquaredError);
}
