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
/// <item>Queue proposal: ceil(load / target per replica), the load being the requests in
/// flight, pod by pod, over the larger of the stable and the short window; a saturated pod
/// counts at most 1.25 × the target, scaled by its arrivals over its answers; with a lead
/// time, a rising arrival rate is projected that far ahead (at most ×1.3).</item>
/// <item>Latency proposal, when a target is set: ceil(serving pods × p95 / target p95),
/// with the lower of the two windows' p95 and the pods that served the short window (pods
/// not ready yet are no capacity). The larger proposal wins; inside the tolerance the count is kept.</item>
/// <item>No scale-down while a ready pod's metrics are missing or stale, nor below the
/// replicas the arrival rate needs at the throughput per replica learned at the target.</item>
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

        signals = SignalGuard.Sanitize(signals);
        (var capacity, history) = CapacityRule.Evaluate(now, signals, history, settings);
        var proposal = Propose(now, currentReplicas, signals, history, settings, capacity);
        var reason = proposal.Reason;
        var message = proposal.Message;
        var recommended = proposal.Replicas;
        if (recommended < currentReplicas && !signals.MissingPods.IsEmpty)
        {
            recommended = currentReplicas;
            reason = ScalingReason.ScaleDownBlockedMissingMetrics;
            message += $"; not scaling down: no fresh metrics from {string.Join(", ", signals.MissingPods)}";
        }
        else if (recommended < currentReplicas && PodsWithoutWindow(signals) is { Count: > 0 } unwindowed)
        {
            // A single scrape holds gauges only: a momentary queue, not the load over time.
            recommended = currentReplicas;
            reason = ScalingReason.ScaleDownBlockedNoWindow;
            message += $"; not scaling down: {string.Join(", ", unwindowed)} scraped only once so far";
        }

        history = LearnThroughput(now, currentReplicas, proposal.QueueLoad, signals, history, settings);
        if (recommended < currentReplicas && capacity is null && ThroughputFloor(now, signals, history, settings) is { } floor && floor > recommended)
        {
            recommended = Math.Min(floor, currentReplicas);
            reason = ScalingReason.ScaleDownLimitedByThroughput;
            message += $"; not below {recommended}: {Num(Math.Max(signals.Stable.ArrivalRate, signals.Short.ArrivalRate))}/s arriving at {Num(history.Throughput!.Value.RequestsPerSecondPerReplica)}/s per replica, as served at the target";
        }

        // The window and step rules work on counts the service may have, so that a message
        // never says a window held a count the bounds would have changed anyway.
        if (recommended > settings.MaxReplicas || recommended < settings.MinReplicas)
        {
            (recommended, reason, message) = Bound(recommended, reason, message, settings);
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

    /// <param name="QueueLoad">The offered in-flight the queue proposal used, before projection.</param>
    private readonly record struct Proposal(int Replicas, ScalingReason Reason, string Message, double QueueLoad);

    /// <summary>Weight of a new observation in the learned throughput per replica.</summary>
    private const double ThroughputLearningRate = 0.3;

    /// <summary>How far from the target the load per replica may be for an observation to count.</summary>
    private const double ThroughputLearningBand = 0.2;

    /// <summary>
    /// When the service runs near its target (load per replica within 20% of it, every
    /// replica ready and measured over the whole window, nothing refused, no panic), what
    /// each replica serves tells what a replica serves at the target. Above the target the
    /// rate is scaled down in proportion; below it is taken as is. Both err low, since load
    /// in flight grows at least in proportion to the rate, and a low value only makes
    /// scale-down more careful.
    /// </summary>
    private static List<string> PodsWithoutWindow(ScalingSignals signals) =>
        signals.Pods.Where(p => p.Stable is null || p.Short is null).Select(p => p.Name).ToList();

    private static ScalingHistory LearnThroughput(
        DateTimeOffset now, int currentReplicas, double queueLoad, ScalingSignals signals, ScalingHistory history, AutoscalerSettings settings)
    {
        var perReplicaLoad = signals.ReadyPods > 0 ? queueLoad / signals.ReadyPods / settings.TargetQueueDepthPerReplica : 0;
        var atTarget = Math.Abs(perReplicaLoad - 1) <= ThroughputLearningBand
            && signals.MissingPods.IsEmpty
            && signals.NotReadyPods == 0
            && signals.ReadyPods == currentReplicas
            && signals.Stable.PodsWithHistory == signals.ReadyPods
            && signals.Stable.OverloadRejectionRate == 0
            && signals.Stable.RequestRate > 0
            && !history.Panic.Active;
        if (!atTarget)
        {
            return history;
        }

        var observed = signals.Stable.RequestRate / signals.ReadyPods / Math.Max(1, perReplicaLoad);
        var learned = Applies(history.Throughput, settings) is { } previous
            ? previous.RequestsPerSecondPerReplica + (ThroughputLearningRate * (observed - previous.RequestsPerSecondPerReplica))
            : observed;
        return history with { Throughput = new ThroughputAtTarget(learned, now, settings.TargetQueueDepthPerReplica, settings.PodVersion) };
    }

    /// <summary>
    /// The learned throughput, if it was learned at the current target and on the current pod
    /// version: a higher target lets each replica serve more, and a new model version may be
    /// faster or slower, so a value learned under other terms says nothing about these.
    /// </summary>
    private static ThroughputAtTarget? Applies(ThroughputAtTarget? learned, AutoscalerSettings settings) =>
        learned is { } t && t.Target == settings.TargetQueueDepthPerReplica && string.Equals(t.PodVersion, settings.PodVersion, StringComparison.Ordinal)
            ? t
            : null;

    /// <summary>
    /// The replicas the arrival rate needs at the learned throughput per replica. Queue
    /// depth grows much faster than load near saturation (on a CPU pod almost like
    /// ρ/(1−ρ)), so a proposal proportional to it undershoots when scaling down; the
    /// arrival rate is proportional to load, so this bound stops the undershoot.
    /// </summary>
    private static int? ThroughputFloor(DateTimeOffset now, ScalingSignals signals, ScalingHistory history, AutoscalerSettings settings)
    {
        if (settings.ThroughputMemory == TimeSpan.Zero || Applies(history.Throughput, settings) is not { } learned || now - learned.ObservedAt > settings.ThroughputMemory || signals.Stable.PodsWithHistory == 0)
        {
            return null;
        }

        // The larger window rate: the stable one reads low just after a scale-down, when the
        // removed pods' share of its traffic is no longer summed.
        var arrivals = Math.Max(signals.Stable.ArrivalRate, signals.Short.ArrivalRate);
        return (int)Math.Min(int.MaxValue, Math.Ceiling(arrivals / learned.RequestsPerSecondPerReplica));
    }

    private static Proposal Propose(
        DateTimeOffset now, int currentReplicas, ScalingSignals signals, ScalingHistory history, AutoscalerSettings settings, CapacityView? capacity)
    {
        var target = settings.TargetQueueDepthPerReplica;
        // A rise shows in the short window and is followed at once. Otherwise the stable
        // window only holds the count: a fall counts once the whole stable window has seen
        // it, and a backlog the stable window remembers but the short one shows cleared
        // asks for nothing more.
        var stableLoad = LoadEstimate.OfferedInFlight(signals.Pods, p => p.Stable, target);
        var shortLoad = LoadEstimate.OfferedInFlight(signals.Pods, p => p.Short, target);
        var missingLoad = LoadEstimate.OfMissingPods(signals, Math.Max(stableLoad, shortLoad), target);
        stableLoad += missingLoad;
        shortLoad += missingLoad;
        var load = shortLoad >= stableLoad ? shortLoad : Math.Clamp(currentReplicas * target, shortLoad, stableLoad);
        var growth = capacity is null ? ProjectedGrowth(now, signals, history, settings.ScaleUpLeadTime) : 1;
        var queueExact = load * growth / target;
        var exact = queueExact;
        var driver = ScalingReason.ScaleUpQueueDepth;
        var overloaded = signals.Short.OverloadRejectionRate > 0 || signals.Stable.OverloadRejectionRate > 0;
        if (capacity is { } rated)
        {
            // The rate rule sizes; queue depth only guards against what the rate cannot see
            // (pods refusing requests).
            exact = overloaded ? Math.Max(rated.Exact, queueExact) : rated.Exact;
            driver = overloaded && queueExact > rated.Exact ? ScalingReason.ScaleUpQueueDepth : ScalingReason.ScaleUpArrivalRate;
        }

        var missingNote = signals.MissingPods.IsEmpty ? string.Empty : $" and {signals.MissingPods.Length} unmeasured pods counted at {Num(missingLoad / signals.MissingPods.Length)} each";
        var basis = $"{Num(load)} requests in flight over {signals.MeasuredPods} measured pods{missingNote} ({Num(signals.Stable.ArrivalRate)}/s arriving, {Num(signals.Stable.RequestRate)}/s answered, {Num(signals.Stable.OverloadRejectionRate)}/s refused) at a target of {Num(target)} per replica{(growth > 1 ? $", rising ×{Num(growth)} over the {Num(settings.ScaleUpLeadTime.TotalSeconds)} s lead time," : string.Empty)} ask for {Num(queueExact)}{(capacity is not null && !overloaded ? " (a guard only while pods refuse requests)" : string.Empty)}";
        if (capacity is { } view)
        {
            basis = view.Message + "; " + basis;
        }
        if (settings.TargetLatencyP95 is { } targetLatency && LatencyEvidence(signals) is { } latency)
        {
            var latencyExact = latency.Pods * latency.P95 / targetLatency.TotalSeconds;
            basis += $"; p95 {Num(latency.P95 * 1000)} ms against a target of {Num(targetLatency.TotalMilliseconds)} ms over {latency.Pods} serving pods asks for {Num(latencyExact)}";
            if (latencyExact > exact)
            {
                exact = latencyExact;
                driver = ScalingReason.ScaleUpLatency;
            }
        }

        if (currentReplicas > 0 && Math.Abs((exact / currentReplicas) - 1) <= settings.Tolerance)
        {
            return new Proposal(currentReplicas, ScalingReason.WithinTolerance,
                basis + $"; within {Num(settings.Tolerance * 100)}% of {currentReplicas}, keeping it", load);
        }

        var replicas = (int)Math.Min(int.MaxValue, Math.Ceiling(exact));
        var reason = replicas > currentReplicas ? driver : replicas < currentReplicas ? ScalingReason.ScaleDown : ScalingReason.Steady;
        return new Proposal(replicas, reason, basis + $"; proposing {replicas} (now {currentReplicas})", load);
    }

    /// <summary>Bounds the projection, so one noisy short window cannot ask for unbounded pods.</summary>
    private const double MaxProjectedGrowth = 1.3;

    /// <summary>
    /// The factor the arrival rate will have grown by after the lead time, if it keeps
    /// rising as it did from the stable window's middle to the short window's middle. Not
    /// while pods refuse requests (their arrivals already count in full), nor after a
    /// scale-down inside the stable window (the removed pods' traffic is missing from the
    /// stable sum, which would read as a rise).
    /// </summary>
    private static double ProjectedGrowth(DateTimeOffset now, ScalingSignals signals, ScalingHistory history, TimeSpan lead)
    {
        var stable = signals.Stable;
        var recent = signals.Short;
        var between = (stable.Seconds - recent.Seconds) / 2;
        if (lead <= TimeSpan.Zero || between <= 0 || recent.ArrivalRate <= stable.ArrivalRate || recent.ArrivalRate <= 0
            || recent.OverloadRejectionRate > 0
            || history.Events.Any(e => e.Change < 0 && e.At > now - TimeSpan.FromSeconds(stable.Seconds)))
        {
            return 1;
        }

        var risePerSecond = (recent.ArrivalRate - stable.ArrivalRate) / between;
        return Math.Min(MaxProjectedGrowth, 1 + (risePerSecond * lead.TotalSeconds / recent.ArrivalRate));
    }

    /// <summary>
    /// The p95 the latency proposal trusts: the lower of the stable and the short window's,
    /// so that neither a stale stable window (queues that new pods have since drained) nor a
    /// noisy short one alone asks for pods; scaled over the pods that served the short
    /// window, since pods that just became ready add capacity the p95 has not seen.
    /// </summary>
    private static (double P95, int Pods)? LatencyEvidence(ScalingSignals signals)
    {
        if (signals.Short.LatencyQuantileSeconds is not { } shortP95 || signals.Short.PodsWithHistory == 0)
        {
            return null;
        }

        var p95 = signals.Stable.LatencyQuantileSeconds is { } stableP95 ? Math.Min(stableP95, shortP95) : shortP95;
        return (p95, signals.Short.PodsWithHistory);
    }

    private readonly record struct PanicUpdate(PanicState State, int ShortProposal, int ReadyPods);

    private static PanicUpdate UpdatePanic(DateTimeOffset now, ScalingSignals signals, PanicState state, AutoscalerSettings settings)
    {
        var shortLoad = LoadEstimate.OfferedInFlight(signals.Pods, p => p.Short, settings.TargetQueueDepthPerReplica);
        shortLoad += LoadEstimate.OfMissingPods(signals, shortLoad, settings.TargetQueueDepthPerReplica);
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
