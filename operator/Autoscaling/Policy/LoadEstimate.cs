using Platform.Operator.Autoscaling.Signals;

namespace Platform.Operator.Autoscaling.Policy;

/// <summary>The load the proposals are computed from.</summary>
internal static class LoadEstimate
{
    /// <summary>Caps the correction for refused requests, so one noisy window cannot ask for unbounded pods.</summary>
    private const double MaxRejectionFactor = 10;

    /// <summary>
    /// Requests in flight the service would carry if it had refused none: the averaged
    /// in-flight scaled by offered over answered requests. Refused requests never show in
    /// the in-flight gauges, so a saturated service would otherwise under-state its load.
    /// </summary>
    public static double OfferedInFlight(WindowSignals window)
    {
        if (window.OverloadRejectionRate <= 0)
        {
            return window.AverageInFlight;
        }

        var factor = window.RequestRate > 0
            ? Math.Min(MaxRejectionFactor, 1 + (window.OverloadRejectionRate / window.RequestRate))
            : MaxRejectionFactor;
        return window.AverageInFlight * factor;
    }
}
