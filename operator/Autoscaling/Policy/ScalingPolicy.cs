using System.Globalization;
using Platform.Operator.Autoscaling.Signals;

namespace Platform.Operator.Autoscaling.Policy;

/// <summary>
/// Decides the replica count of one service from its signals. Pure: the time, the
/// signals and the history come in; the decision and the next history go out.
/// </summary>
/// <remarks>
/// Order of rules, after the HPA and Knative's KPA:
/// <list type="number">
/// <item>A count outside [min, max] is brought inside first; without measured pods the count is kept.</item>
/// <item>Queue proposal: ceil(offered in-flight over the stable window / target per replica).
/// Latency proposal, when a target is set: ceil(ready pods × windowed p95 / target p95);
/// pods not ready yet are no capacity. The larger wins; inside the tolerance the count is kept.</item>
/// <item>No scale-down while a ready pod's metrics are missing or stale.</item>
/// <item>Panic: when the short-window proposal reaches the threshold times the ready pods,
/// scale to it at once, and never down until the trigger has been calm for the calm window.</item>
/// <item>Otherwise stabilization windows (up: lowest recommendation of the window, down: highest),
/// then step policies, then [min, max].</item>
/// </list>
/// </remarks>
public static class ScalingPolicy
{
    public static ScalingDecision Decide(
        DateTimeOffset now, int currentReplicas, ScalingSignals signals, ScalingHistory history, AutoscalerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(currentReplicas);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid autoscaler settings: " + string.Join(" ", errors), nameof(settings));
        }

        history = history.Prune(now, Max(settings.HistoryRetention, settings.Panic.CalmWindow));

        if (currentReplicas < settings.MinReplicas)
        {
            return Change(now, currentReplicas, settings.MinReplicas, ScalingReason.BelowMinimum,
                $"{currentReplicas} replicas is below the minimum of {settings.MinReplicas}", signals.HasData, settings.MinReplicas, history);
        }

        if (currentReplicas > settings.MaxReplicas)
        {
            return Change(now, currentReplicas, settings.MaxReplicas, ScalingReason.AboveMaximum,
                $"{currentReplicas} replicas is above the maximum of {settings.MaxReplicas}", signals.HasData, settings.MaxReplicas, history);
        }

        if (!signals.HasData)
        {
            return new ScalingDecision(currentReplicas, ScalingReason.NoMetrics,
                $"no metrics from any of {signals.ReadyPods} ready pods ({signals.NotReadyPods} not ready); keeping {currentReplicas}",
                SignalsValid: false, currentReplicas, history.Panic.Active, history);
        }

        var proposal = Propose(currentReplicas, signals, settings);
        var reason = proposal.Reason;
        var message = proposal.Message;
        var recommended = proposal.Replicas;
        if (recommended < currentReplicas && !signals.MissingPods.IsEmpty)
        {
            recommended = currentReplicas;
            reason = ScalingReason.ScaleDownBlockedMissingMetrics;
            message += $"; not scaling down: no fresh metrics from {string.Join(", ", signals.MissingPods)}";
        }

        history = history with { Recommendations = history.Recommendations.Add(new TimedRecommendation(now, recommended)) };

        var panic = UpdatePanic(now, signals, history.Panic, settings);
        if (panic.State.Active)
        {
            return DecideInPanic(now, currentReplicas, recommended, panic, message, history, settings);
        }

        history = history with { Panic = panic.State };
        var (stabilized, outcome) = Stabilization.Apply(
            now, currentReplicas, recommended, history.Recommendations, settings.ScaleUp.StabilizationWindow, settings.ScaleDown.StabilizationWindow);
        var desired = stabilized;
        if (outcome != StabilizationOutcome.Unchanged)
        {
            reason = outcome == StabilizationOutcome.HeldByScaleUpWindow ? ScalingReason.ScaleUpStabilized : ScalingReason.ScaleDownStabilized;
            message += outcome == StabilizationOutcome.HeldByScaleUpWindow
                ? $"; held at {desired} by the {Seconds(settings.ScaleUp.StabilizationWindow)} scale-up window"
                : $"; held at {desired} by the {Seconds(settings.ScaleDown.StabilizationWindow)} scale-down window";
        }

        if (desired > currentReplicas)
        {
            var limit = StepLimits.UpperLimit(now, currentReplicas, history.Events, settings.ScaleUp);
            if (desired > limit)
            {
                desired = limit;
                reason = ScalingReason.ScaleUpLimited;
                message += $"; limited to {desired} by the scale-up step policy";
            }
        }
        else if (desired < currentReplicas)
        {
            var limit = StepLimits.LowerLimit(now, currentReplicas, history.Events, settings.ScaleDown);
            if (desired < limit)
            {
                desired = limit;
                reason = ScalingReason.ScaleDownLimited;
                message += $"; limited to {desired} by the scale-down step policy";
            }
        }

        (desired, reason, message) = Bound(desired, reason, message, settings);
        return Change(now, currentReplicas, desired, reason, message, true, proposal.Replicas, history);
    }

    private static ScalingDecision DecideInPanic(
        DateTimeOffset now, int currentReplicas, int recommended, PanicUpdate panic, string message, ScalingHistory history, AutoscalerSettings settings)
    {
        var desired = Math.Max(Math.Max(currentReplicas, recommended), Math.Max(panic.ShortProposal, panic.State.HighestReplicas));
        var reason = desired > currentReplicas ? ScalingReason.PanicScaleUp : ScalingReason.PanicHold;
        message += desired > currentReplicas
            ? $"; panic: short-window load asks for {panic.ShortProposal} against {panic.ReadyPods} ready pods, scaling to {desired} at once"
            : $"; panic since {panic.State.Since:O}: holding {desired} until calm for {Seconds(settings.Panic.CalmWindow)}";
        (desired, reason, message) = Bound(desired, reason, message, settings);
        history = history with { Panic = panic.State with { HighestReplicas = desired } };
        return Change(now, currentReplicas, desired, reason, message, true, recommended, history);
    }

    private readonly record struct Proposal(int Replicas, ScalingReason Reason, string Message);

    private static Proposal Propose(int currentReplicas, ScalingSignals signals, AutoscalerSettings settings)
    {
        var target = settings.TargetQueueDepthPerReplica;
        var load = LoadEstimate.OfferedInFlight(signals.Stable);
        var queueExact = load / target;
        var exact = queueExact;
        var driver = ScalingReason.ScaleUpQueueDepth;
        var basis = $"{Num(load)} requests in flight over {signals.MeasuredPods} measured pods ({Num(signals.Stable.RequestRate)}/s answered, {Num(signals.Stable.OverloadRejectionRate)}/s refused) at a target of {Num(target)} per replica ask for {Num(queueExact)}";
        if (settings.TargetLatencyP95 is { } targetLatency && signals.Stable.LatencyQuantileSeconds is { } p95)
        {
            var latencyExact = signals.ReadyPods * p95 / targetLatency.TotalSeconds;
            basis += $"; p95 {Num(p95 * 1000)} ms against a target of {Num(targetLatency.TotalMilliseconds)} ms over {signals.ReadyPods} ready pods asks for {Num(latencyExact)}";
            if (latencyExact > exact)
            {
                exact = latencyExact;
                driver = ScalingReason.ScaleUpLatency;
            }
        }

        if (currentReplicas > 0 && Math.Abs((exact / currentReplicas) - 1) <= settings.Tolerance)
        {
            return new Proposal(currentReplicas, ScalingReason.WithinTolerance,
                basis + $"; within {Num(settings.Tolerance * 100)}% of {currentReplicas}, keeping it");
        }

        var replicas = (int)Math.Min(int.MaxValue, Math.Ceiling(exact));
        var reason = replicas > currentReplicas ? driver : replicas < currentReplicas ? ScalingReason.ScaleDown : ScalingReason.Steady;
        return new Proposal(replicas, reason, basis + $"; proposing {replicas} (now {currentReplicas})");
    }

    private readonly record struct PanicUpdate(PanicState State, int ShortProposal, int ReadyPods);

    private static PanicUpdate UpdatePanic(DateTimeOffset now, ScalingSignals signals, PanicState state, AutoscalerSettings settings)
    {
        var shortLoad = Math.Max(LoadEstimate.OfferedInFlight(signals.Short), signals.InFlight);
        var shortProposal = (int)Math.Min(int.MaxValue, Math.Ceiling(shortLoad / settings.TargetQueueDepthPerReplica));
        if (!settings.Panic.Enabled)
        {
            return new PanicUpdate(default, shortProposal, signals.ReadyPods);
        }

        var triggered = signals.ReadyPods > 0 && shortProposal >= settings.Panic.Threshold * signals.ReadyPods;
        if (triggered)
        {
            state = state with { Since = state.Since ?? now, LastTriggered = now };
        }
        else if (state.Active && now - state.LastTriggered >= settings.Panic.CalmWindow)
        {
            state = default;
        }

        return new PanicUpdate(state, shortProposal, signals.ReadyPods);
    }

    private static (int, ScalingReason, string) Bound(int desired, ScalingReason reason, string message, AutoscalerSettings settings)
    {
        if (desired > settings.MaxReplicas)
        {
            return (settings.MaxReplicas, ScalingReason.LimitedByMaximum, message + $"; limited to the maximum of {settings.MaxReplicas}");
        }

        if (desired < settings.MinReplicas)
        {
            return (settings.MinReplicas, ScalingReason.LimitedByMinimum, message + $"; limited to the minimum of {settings.MinReplicas}");
        }

        return (desired, reason, message);
    }

    private static ScalingDecision Change(
        DateTimeOffset now, int currentReplicas, int desired, ScalingReason reason, string message, bool valid, int proposed, ScalingHistory history)
    {
        if (desired != currentReplicas)
        {
            history = history with { Events = history.Events.Add(new ScaleEvent(now, desired - currentReplicas)) };
        }

        return new ScalingDecision(desired, reason, message, valid, proposed, history.Panic.Active, history);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Seconds(TimeSpan t) => Num(t.TotalSeconds) + " s";

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
