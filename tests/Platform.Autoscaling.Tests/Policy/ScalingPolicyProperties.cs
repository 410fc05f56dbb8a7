using System.Collections.Immutable;
using CsCheck;
using Platform.Operator.Autoscaling.Policy;
using Platform.Operator.Autoscaling.Signals;
using static Platform.Autoscaling.Tests.Policy.PolicyTestData;

namespace Platform.Autoscaling.Tests.Policy;

public class ScalingPolicyProperties
{
    private static readonly Gen<AutoscalerSettings> GenBaseSettings =
        Gen.Select(Gen.Int[1, 5], Gen.Int[0, 40], Gen.Double[0.5, 64], Gen.Int[0, 500].Array[1], Gen.Double[0, 0.3], Gen.Bool, Gen.Int[0, 120], Gen.Int[0, 600])
            .Select((min, span, target, latencyMs, tolerance, panic, upWindow, downWindow) => new AutoscalerSettings
            {
                MinReplicas = min,
                MaxReplicas = min + span,
                TargetQueueDepthPerReplica = target,
                TargetLatencyP95 = latencyMs[0] == 0 ? null : TimeSpan.FromMilliseconds(latencyMs[0]),
                Tolerance = tolerance,
                Panic = PanicSettings.Default with { Enabled = panic },
                ScaleUp = ScalingRules.DefaultScaleUp with { StabilizationWindow = TimeSpan.FromSeconds(upWindow) },
                ScaleDown = ScalingRules.DefaultScaleDown with { StabilizationWindow = TimeSpan.FromSeconds(downWindow) },
            });

    private static readonly Gen<AutoscalerSettings> GenSettings =
        Gen.Select(GenBaseSettings, Gen.Int[0, 60], Gen.Bool)
            .Select((settings, leadSeconds, remember) => settings with
            {
                ScaleUpLeadTime = TimeSpan.FromSeconds(leadSeconds),
                ThroughputMemory = remember ? TimeSpan.FromMinutes(30) : TimeSpan.Zero,
            });

    private static readonly Gen<WindowSignals> GenWindow =
        Gen.Select(Gen.Double[0, 2000], Gen.Double[0, 500], Gen.Double[0, 500], Gen.Double[0, 2].Array[0, 1])
            .Select((rate, rejected, inFlight, p95) => new WindowSignals(1, 30, rate, rate + rejected, rejected, inFlight, p95.Length == 0 ? null : p95[0]));

    /// <summary>Values a broken or odd pod could bring: NaN, ±∞, negatives, a p95 above the top bucket.</summary>
    private static readonly Gen<double> GenOdd = Gen.Int[0, 5].Select(i => new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1.0, 0.0, 1e300 }[i]);

    private static readonly Gen<WindowSignals> GenOddWindow =
        Gen.Select(GenOdd, GenOdd, GenOdd, GenOdd, GenOdd)
            .Select((rate, arrivals, inFlight, p95, seconds) => new WindowSignals(1, seconds, rate, arrivals, rate, inFlight, p95));

    private static readonly Gen<ScalingSignals> GenWellFormedSignals =
        Gen.Select(Gen.Int[0, 30], Gen.Int[0, 5], Gen.Int[0, 3], Gen.Double[0, 500], GenWindow, GenWindow)
            .Select((ready, notReady, missing, inFlight, stable, shortWindow) =>
            {
                missing = Math.Min(missing, ready);
                var missingPods = Enumerable.Range(0, missing).Select(i => $"missing-{i}").ToImmutableArray();
                return Even(ready, notReady, missingPods, inFlight, stable, shortWindow with { Seconds = 5 });
            });

    /// <summary>
    /// Well-formed signals, signals whose pods have no window yet (scraped once), and
    /// signals carrying odd values in any field.
    /// </summary>
    private static readonly Gen<ScalingSignals> GenSignals = Gen.Frequency(
        (6, GenWellFormedSignals),
        (2, Gen.Select(GenWellFormedSignals, Gen.Int[0, 30]).Select((s, seed) => WithoutWindows(s, seed))),
        (2, Gen.Select(GenWellFormedSignals, GenOddWindow, GenOddWindow, GenOdd).Select((s, stable, recent, gauge) => s with
        {
            InFlight = gauge,
            Stable = stable,
            Short = recent,
            Pods = [.. s.Pods.Select((p, i) => i % 2 == 0 ? p with { InFlight = gauge, Stable = stable, Short = recent } : p)],
        })));

    /// <summary>Some of the pods lose their windows, as pods scraped once have none.</summary>
    private static ScalingSignals WithoutWindows(ScalingSignals signals, int seed) => signals with
    {
        Pods = [.. signals.Pods.Select((p, i) => (i + seed) % 3 == 0 ? p with { Stable = null, Short = null } : p)],
    };

    /// <summary>A history produced by the policy itself from a run of random signals.</summary>
    private static readonly Gen<(AutoscalerSettings Settings, int Current, ScalingHistory History, double Now)> GenState =
        Gen.Select(GenSettings, Gen.Int[0, 60], GenSignals.Array[0, 30], Gen.Int[1, 20])
            .Select((settings, current, run, step) =>
            {
                var history = ScalingHistory.Empty;
                var now = 0.0;
                foreach (var signals in run)
                {
                    var decision = Decide(now, current, signals, history, settings);
                    current = decision.DesiredReplicas;
                    history = decision.History;
                    now += step;
                }

                return (settings, current, history, now);
            });

    [Fact]
    public void Never_outside_min_and_max()
    {
        Gen.Select(GenState, GenSignals).Sample((state, signals) =>
        {
            var decision = Decide(state.Now, state.Current, signals, state.History, state.Settings);
            return decision.DesiredReplicas >= state.Settings.MinReplicas && decision.DesiredReplicas <= state.Settings.MaxReplicas;
        }, iter: 500);
    }

    [Fact]
    public void Never_scales_down_while_a_pod_is_missing_or_has_no_window()
    {
        Gen.Select(GenState, GenSignals).Sample((state, signals) =>
        {
            var unsure = !signals.MissingPods.IsEmpty || signals.Pods.Any(p => p.Stable is null || p.Short is null);
            var decision = Decide(state.Now, state.Current, signals, state.History, state.Settings);
            var inBounds = state.Current >= state.Settings.MinReplicas && state.Current <= state.Settings.MaxReplicas;
            return !unsure || !inBounds || !signals.HasData || decision.DesiredReplicas >= state.Current;
        }, iter: 500);
    }

    [Fact]
    public void Constant_signals_converge_without_flapping()
    {
        Gen.Select(GenSettings, GenSignals, Gen.Int[0, 60]).Sample((settings, signals, start) =>
        {
            var current = start;
            var history = ScalingHistory.Empty;
            var counts = new List<int>();
            for (var step = 0; step < 300; step++)
            {
                var decision = Decide(step * 5, current, signals, history, settings);
                history = decision.History;
                current = decision.DesiredReplicas;
                counts.Add(current);
            }

            // Once in bounds the count moves in one direction only, and the last stretch is flat.
            var directions = counts.Zip(counts.Skip(1), (a, b) => Math.Sign(b - a)).Where(d => d != 0).ToList();
            var reversals = directions.Zip(directions.Skip(1), (a, b) => a != b).Count(r => r);
            return reversals <= 1 && counts.TakeLast(100).Distinct().Count() == 1;
        }, iter: 200);
    }

    [Fact]
    public void More_load_never_gives_fewer_replicas()
    {
        Gen.Select(GenState, GenWellFormedSignals, Gen.Double[1, 4]).Sample((state, signals, factor) =>
        {
            var heavier = Even(
                signals.ReadyPods,
                signals.NotReadyPods,
                signals.MissingPods,
                signals.InFlight * factor,
                signals.Stable with { AverageInFlight = signals.Stable.AverageInFlight * factor },
                signals.Short with { AverageInFlight = signals.Short.AverageInFlight * factor });
            var light = Decide(state.Now, state.Current, signals, state.History, state.Settings);
            var heavy = Decide(state.Now, state.Current, heavier, state.History, state.Settings);
            return heavy.DesiredReplicas >= light.DesiredReplicas;
        }, iter: 500);
    }

    [Fact]
    public void Slower_requests_never_give_fewer_replicas()
    {
        Gen.Select(GenState, GenWellFormedSignals, Gen.Double[1, 4]).Sample((state, signals, factor) =>
        {
            var slower = Even(
                signals.ReadyPods,
                signals.NotReadyPods,
                signals.MissingPods,
                signals.InFlight,
                signals.Stable with { LatencyQuantileSeconds = signals.Stable.LatencyQuantileSeconds * factor },
                signals.Short with { LatencyQuantileSeconds = signals.Short.LatencyQuantileSeconds * factor });
            var fast = Decide(state.Now, state.Current, signals, state.History, state.Settings);
            var slow = Decide(state.Now, state.Current, slower, state.History, state.Settings);
            return slow.DesiredReplicas >= fast.DesiredReplicas;
        }, iter: 500);
    }
}
