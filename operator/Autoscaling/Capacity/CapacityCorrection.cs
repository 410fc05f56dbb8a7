namespace Platform.Operator.Autoscaling.Capacity;

/// <summary>
/// How far the pods' observed p95 is from what the capacity model predicts at the rate they
/// received, as a smoothed ratio (observed / predicted, in [<see cref="Min"/>, <see cref="Max"/>]).
/// The model's target is the SLO divided by this ratio: if real latencies run 1.3× the
/// model's (request handling, service-time spread), the model must keep its own p95 at
/// 1/1.3 of the SLO. Pure.
/// </summary>
public static class CapacityCorrection
{
    public const double Min = 0.5;
    public const double Max = 4;

    /// <summary>Weight of a new observation of the ratio.</summary>
    public const double Weight = 0.2;

    /// <summary>Requests a window must have answered for its p95 to count.</summary>
    public const double MinRequests = 100;

    /// <summary>
    /// The next ratio after a window in which the pods answered <paramref name="answered"/>
    /// requests with <paramref name="observedP95"/>, where the model predicted <paramref name="predictedP95"/>.
    /// Windows with too few requests, with refusals (a p95 of what was let in) or without a
    /// finite p95 change nothing.
    /// </summary>
    public static double Update(double previous, double observedP95, double predictedP95, double answered, bool refused)
    {
        if (refused || answered < MinRequests || !double.IsFinite(observedP95) || !(observedP95 > 0) || !double.IsFinite(predictedP95) || !(predictedP95 > 0))
        {
            return previous;
        }

        var ratio = Math.Clamp(observedP95 / predictedP95, Min, Max);
        return Math.Clamp(Math.Exp(Math.Log(previous) + (Weight * (Math.Log(ratio) - Math.Log(previous)))), Min, Max);
    }
}
