using Platform.Contracts;
using Platform.InferencePod.Lifecycle;

namespace Platform.InferencePod.Protocol;

/// <summary>Whether the pod takes new inference work now: not while draining (503), not before warm-up (503).</summary>
public static class AcceptanceCheck
{
    /// <param name="warmup">The pod's own warm-up traffic, which runs before the pod is ready.</param>
    public static void EnsureAccepting(PodState state, string model, bool warmup = false)
    {
        if (state.Draining) throw ScheduledRun.Draining;
        if (!state.WarmedUp && !warmup)
            throw new InferenceError(StatusCodes.Status503ServiceUnavailable, $"model '{model}' is warming up and not ready yet", PodMetrics.Reasons.NotReady);
    }
}
