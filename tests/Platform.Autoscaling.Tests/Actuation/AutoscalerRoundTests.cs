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
