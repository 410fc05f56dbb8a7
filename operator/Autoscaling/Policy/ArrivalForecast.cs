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
    public const double MaxTrendGrowth = 1.0;

    /// <summary>Forecast errors bigger than this (relative) are capped: one burst must not set the margin alone.</summary>
    private const double MaxRelativeError = 2;

    public static ArrivalForecast Start(DateTimeOffset at, double rate) => new(rate, 0, at, 0, 0, []);

    /// <summary>Takes in the rate observed at <paramref name="at"/>; an observation not after the last restarts the forecast.</summary>
    public ArrivalForecast Observe(DateTimeOffset at, double rate)
    {
        var dt = (at - At).TotalSeconds;
        if (!(dt > 0)) return Start(at, rate);
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
