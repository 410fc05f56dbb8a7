using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Autoscaling.Actuation;
using Platform.Operator.Autoscaling.Policy;
using static Platform.Autoscaling.Tests.Signals.SignalTestData;

namespace Platform.Autoscaling.Tests.Actuation;

public sealed class AutoscalerRoundTests
{
    private static InferenceService Service(int? replicas = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "svc", NamespaceProperty = "ml" },
        Spec = new InferenceServiceSpec
        {
            Replicas = replicas,
            Autoscaling = new AutoscalingSpec { MinReplicas = 1, MaxReplicas = 10, MetricsIntervalSeconds = 5 },
        },
    };

    private static V1Pod Pod(string name, bool ready) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, CreationTimestamp = T0.UtcDateTime.AddSeconds(-60), Labels = new Dictionary<string, string> { ["pod-template-hash"] = "abc" } },
        Status = new V1PodStatus
        {
            PodIP = "10.0.0.1",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = T0.UtcDateTime.AddSeconds(-30) }],
        },
    };

    private static PodScrape Ok(string pod, double at, int answered, double inFlight = 1) =>
        PodScrape.Succeeded(Snapshot(pod, at, Repeat(0.01, answered), inFlight: inFlight));

    private static RoundOutcome Run(ServiceAutoscalerState state, double at, int current, V1Pod[] pods, params PodScrape[] scrapes) =>
        AutoscalerRound.Run(state, T0.AddSeconds(at), Service(), current, pods, scrapes);

    [Fact]
    public void A_clock_step_back_restarts_the_history_instead_of_failing_every_round()
    {
        var state = new ServiceAutoscalerState();
        V1Pod[] pods = [Pod("a", true)];
        Run(state, 100, 1, pods, Ok("a", 100, 100));
        Run(state, 105, 1, pods, Ok("a", 105, 200));

        var back = Run(state, 50, 1, pods, Ok("a", 50, 300));

        Assert.Contains(back.Warnings, w => w.Contains("clock stepped back by 55 s", StringComparison.Ordinal));
        Assert.True(back.Decision.SignalsValid);
        // The next rounds go on from the new time with a window again.
        var next = Run(state, 55, 1, pods, Ok("a", 55, 400));
        Assert.Empty(next.Warnings);
        Assert.Equal(1, next.Signals.Stable.PodsWithHistory);
    }

    [Fact]
    public void Status_follows_pods_that_turn_ready_and_whose_scrapes_all_fail()
    {
        var state = new ServiceAutoscalerState();
        var starting = Run(state, 0, 2, [Pod("a", false), Pod("b", false)]);
        Assert.True(starting.Publish);
        Assert.Contains("0 ready pods (2 not ready)", state.Published!.DecisionMessage, StringComparison.Ordinal);

        var failing = Run(state, 5, 2, [Pod("a", true), Pod("b", true)],
            PodScrape.Failed("a", "no answer within 2000 ms"), PodScrape.Failed("b", "connection refused"));

        Assert.True(failing.Publish);
        Assert.False(state.Published!.SignalsValid);
        Assert.Contains("2 ready pods (0 not ready)", state.Published.DecisionMessage, StringComparison.Ordinal);
        Assert.Contains("pod a: no answer within 2000 ms; pod b: connection refused", state.Published.DecisionMessage, StringComparison.Ordinal);
        Assert.Equal(2, failing.Decision.DesiredReplicas);
    }

    /// <summary>The status an earlier leader left: its published snapshot written as reconcile writes it.</summary>
    private static InferenceService Stored(AutoscalingSnapshot published)
    {
        var service = Service();
        service.Status = new InferenceServiceStatus { Conditions = [] };
        service.Status.Conditions.Add(AutoscalingStatusPolicy.Apply(service.Status, published, 1));
        return service;
    }

    [Fact]
    public void A_new_leader_that_finds_the_status_it_would_write_writes_nothing_and_announces_nothing()
    {
        V1Pod[] pods = [Pod("a", true), Pod("b", true)];
        PodScrape[] failing = [PodScrape.Failed("a", "connection refused"), PodScrape.Failed("b", "connection refused")];
        var earlier = new ServiceAutoscalerState();
        var first = AutoscalerRound.Run(earlier, T0, Service(), 2, pods, failing);
        Assert.True(first.Publish);
        Assert.Contains(first.Events, e => e.Reason == "MetricsUnavailable");
        var service = Stored(earlier.Published!);

        var next = new ServiceAutoscalerState();
        var round = AutoscalerRound.Run(next, T0.AddSeconds(7), service, 2, pods, failing);

        Assert.False(round.Publish);
        Assert.Empty(round.Events);
        Assert.Equal(earlier.Published!.DecisionTime, next.Published!.DecisionTime);
        // The failures still count as reported: the repeat interval runs from here.
        Assert.Empty(AutoscalerRound.Run(next, T0.AddSeconds(12), service, 2, pods, failing).Events);
        Assert.Contains(AutoscalerRound.Run(next, T0.AddSeconds(13) + AutoscalerRound.RepeatScrapeWarningAfter, service, 2, pods, failing).Events,
            e => e.Reason == "MetricsUnavailable");
    }

    [Fact]
    public void A_new_leader_writes_and_announces_what_differs_from_the_stored_status()
    {
        V1Pod[] pods = [Pod("a", true), Pod("b", true)];
        var earlier = new ServiceAutoscalerState();
        AutoscalerRound.Run(earlier, T0, Service(), 2, pods, [Ok("a", 0, 10), Ok("b", 0, 10)]);
        var healthy = Stored(earlier.Published!);
        var onePod = new ServiceAutoscalerState();
        AutoscalerRound.Run(onePod, T0, Service(), 2, [Pod("a", true)], [PodScrape.Failed("a", "connection refused")]);
        var fewerPods = Stored(onePod.Published!);

        // Metrics were fine when the status was written: the failure is news.
        var failing = AutoscalerRound.Run(new ServiceAutoscalerState(), T0.AddSeconds(7), healthy, 2, pods,
            [PodScrape.Failed("a", "connection refused"), PodScrape.Failed("b", "connection refused")]);
        Assert.True(failing.Publish);
        Assert.Contains(failing.Events, e => e.Reason == "MetricsUnavailable");

        // No metrics then and now: the status is written again (its pod counts changed), but the
        // condition is the same, so nothing is announced.
        var moved = AutoscalerRound.Run(new ServiceAutoscalerState(), T0.AddSeconds(7), fewerPods, 2, pods,
            [PodScrape.Failed("a", "connection refused"), PodScrape.Failed("b", "connection refused")]);
        Assert.True(moved.Publish);
        Assert.Empty(moved.Events);
    }

    [Fact]
    public void A_failing_pod_is_one_warning_and_one_event_per_repeat_interval()
    {
        var state = new ServiceAutoscalerState();
        V1Pod[] pods = [Pod("a", true), Pod("b", true)];
        var first = Run(state, 0, 2, pods, Ok("a", 0, 10), PodScrape.Failed("b", "GET /metrics answered 500"));
        var again = Run(state, 5, 2, pods, Ok("a", 5, 20), PodScrape.Failed("b", "GET /metrics answered 500"));
        var later = Run(state, 5 + AutoscalerRound.RepeatScrapeWarningAfter.TotalSeconds, 2, pods, Ok("a", 305, 30), PodScrape.Failed("b", "GET /metrics answered 500"));

        var warning = Assert.Single(first.Warnings);
        Assert.Contains("pod b failed: GET /metrics answered 500", warning, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', warning);
        Assert.Single(first.Events, e => e is { Warning: true, Reason: "MetricsUnavailable" });
        Assert.Empty(again.Warnings);
        Assert.DoesNotContain(again.Events, e => e.Reason == "MetricsUnavailable");
        Assert.Single(later.Warnings);
    }

    [Fact]
    public void Replicas_written_by_kubectl_scale_in_builtin_mode_get_one_event_per_value()
    {
        var state = new ServiceAutoscalerState();
        V1Pod[] pods = [Pod("a", true)];
        RoundOutcome At(double t, int? replicas) =>
            AutoscalerRound.Run(state, T0.AddSeconds(t), Service(replicas), 1, pods, [Ok("a", t, (int)t * 10)]);

        Assert.DoesNotContain(At(0, null).Events, e => e.Reason == "ReplicasIgnored");
        var ignored = Assert.Single(At(5, 5).Events, e => e.Reason == "ReplicasIgnored");
        Assert.Contains("spec.replicas=5 has no effect in autoscaling mode Builtin", ignored.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(At(10, 5).Events, e => e.Reason == "ReplicasIgnored");
        Assert.Single(At(15, 7).Events, e => e.Reason == "ReplicasIgnored");
    }

    [Fact]
    public void The_pod_version_is_the_template_hash_the_pods_share()
    {
        var other = Pod("c", true);
        other.Metadata.Labels["pod-template-hash"] = "def";
        Assert.Equal("abc", AutoscalerRound.PodVersion([Pod("a", true), Pod("b", false)]));
        Assert.Null(AutoscalerRound.PodVersion([Pod("a", true), other]));
    }

    [Fact]
    public void A_new_leader_does_not_scale_down_before_a_window_of_its_own()
    {
        var state = new ServiceAutoscalerState();
        V1Pod[] pods = [Pod("a", true), Pod("b", true)];
        var first = Run(state, 0, 2, pods, Ok("a", 0, 0, inFlight: 0), Ok("b", 0, 0, inFlight: 0));
        Assert.Equal(2, first.Decision.DesiredReplicas);
        Assert.NotEqual(ScalingReason.NoMetrics, first.Decision.Reason);
    }
}
