using k8s.Models;
using Platform.Operator.Api.V1Alpha1;
using Platform.Operator.Reconciliation;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class StatusBuilderTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static V1Deployment Deployment(int desired, int total, int updated, int ready, long generation = 2, long observed = 2, V1DeploymentCondition? progressing = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "resnet", Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = desired },
        Status = new V1DeploymentStatus
        {
            Replicas = total,
            UpdatedReplicas = updated,
            ReadyReplicas = ready,
            AvailableReplicas = ready,
            ObservedGeneration = observed,
            Conditions = progressing is null ? null : [progressing],
        },
    };

    private static InferenceServiceStatus Build(InferenceService service, V1Deployment? deployment, IReadOnlyList<V1Pod>? pods = null, IReadOnlyList<string>? errors = null, DateTime? now = null,
        string? clusterProblem = null, string? writeFailure = null) =>
        StatusBuilder.Build(new StatusInputs(service, deployment, pods ?? [], errors ?? [], now ?? T0, clusterProblem, writeFailure), TestServices.Settings);

    private static string Message(InferenceServiceStatus status, string type) => ConditionSet.Find(status.Conditions, type)!.Message;

    [Fact]
    public void A_rollout_says_how_many_replicas_are_updated_and_that_old_ones_still_serve()
    {
        // maxSurge 1: the new pod is starting, the only ready pod is the old one.
        var status = Build(TestServices.Pvc(), Deployment(desired: 1, total: 2, updated: 1, ready: 1));

        Assert.Equal(("True", "RollingOut"), Of(status, ConditionTypes.Progressing));
        Assert.Equal("Rolling out: 1 of 1 replicas updated, 1 old replica still running; 1 of 2 ready (old and new together).", Message(status, ConditionTypes.Progressing));
    }

    [Fact]
    public void A_scale_down_is_never_reported_as_more_replicas_updated_than_wanted()
    {
        var pending = Build(TestServices.Pvc(), Deployment(desired: 1, total: 2, updated: 2, ready: 2, generation: 3, observed: 2));
        var seen = Build(TestServices.Pvc(), Deployment(desired: 1, total: 2, updated: 2, ready: 2));

        Assert.Equal("The Deployment controller has not acted on the latest change yet.", Message(pending, ConditionTypes.Progressing));
        Assert.Equal("Scaling down from 2 to 1 replicas.", Message(seen, ConditionTypes.Progressing));
    }

    [Fact]
    public void A_spec_the_cluster_cannot_run_is_not_ready_with_the_version_it_needs()
    {
        const string problem = "spec.model.source.image needs Kubernetes 1.33 or newer with image volumes enabled; the API server is v1.28.4.";
        var status = Build(TestServices.Image(), null, clusterProblem: problem);

        Assert.Equal(("False", ConditionReasons.KubernetesTooOld), Of(status, ConditionTypes.Ready));
        Assert.Equal(("False", ConditionReasons.KubernetesTooOld), Of(status, ConditionTypes.Progressing));
        Assert.Equal(("True", ConditionReasons.KubernetesTooOld), Of(status, ConditionTypes.Degraded));
        Assert.Equal(problem, Message(status, ConditionTypes.Ready));
        Assert.Contains("1.33", Message(status, ConditionTypes.Degraded), StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_apply_is_degraded_with_the_servers_message_and_clears_when_the_apply_succeeds()
    {
        const string refusal = "Applying Deployment resnet was refused (500 InternalError): .spec.template.spec.volumes[name=\"model\"].image: field not declared in schema";
        var service = TestServices.Pvc();
        service.Status = Build(service, Deployment(2, 2, 2, 2), writeFailure: refusal);

        Assert.Equal(("True", ConditionReasons.ApplyFailed), Of(service.Status, ConditionTypes.Degraded));
        Assert.Equal(refusal, Message(service.Status, ConditionTypes.Degraded));
        Assert.Equal(("True", "ReplicasReady"), Of(service.Status, ConditionTypes.Ready));
        Assert.Equal(("False", ConditionReasons.ApplyFailed), Of(service.Status, ConditionTypes.Progressing));

        var cleared = Build(service, Deployment(2, 2, 2, 2), now: T0.AddMinutes(1));
        Assert.Equal(("False", ConditionReasons.AsExpected), Of(cleared, ConditionTypes.Degraded));
        Assert.Equal(T0.AddMinutes(1), ConditionSet.Find(cleared.Conditions, ConditionTypes.Degraded)!.LastTransitionTime);
    }

    [Fact]
    public void A_refused_first_apply_says_the_deployment_could_not_be_created()
    {
        var status = Build(TestServices.Pvc(), null, writeFailure: "Applying Deployment resnet was refused (403 Forbidden): no");

        Assert.Equal(("False", ConditionReasons.ApplyFailed), Of(status, ConditionTypes.Ready));
        Assert.StartsWith("The Deployment could not be created: Applying Deployment resnet was refused (403 Forbidden)", Message(status, ConditionTypes.Ready), StringComparison.Ordinal);
    }

    private static (string Status, string Reason) Of(InferenceServiceStatus status, string type)
    {
        var condition = ConditionSet.Find(status.Conditions, type) ?? throw new Xunit.Sdk.XunitException($"no {type} condition");
        return (condition.Status, condition.Reason);
    }

    public static TheoryData<string, V1Deployment?, V1Pod[], string[], (string, string), (string, string), (string, string)> Cases() => new()
    {
        { "not created yet", null, [], [], ("False", "DeploymentNotFound"), ("True", "RollingOut"), ("False", "AsExpected") },
        { "invalid, nothing deployed", null, [], ["spec.model.path: bad"], ("False", "InvalidSpec"), ("False", "InvalidSpec"), ("True", "InvalidSpec") },
        { "invalid, old version serving", Deployment(2, 2, 2, 2), [], ["spec.model.path: bad"], ("True", "ReplicasReady"), ("False", "InvalidSpec"), ("True", "InvalidSpec") },
        { "all ready", Deployment(2, 2, 2, 2), [TestPods.Ready("a"), TestPods.Ready("b")], [], ("True", "ReplicasReady"), ("False", "Stable"), ("False", "AsExpected") },
        { "first pods warming up", Deployment(2, 2, 2, 0), [TestPods.Starting("a"), TestPods.Starting("b")], [], ("False", "NoReplicasReady"), ("True", "WaitingForReplicas"), ("False", "AsExpected") },
        { "scaling up", Deployment(4, 2, 2, 2), [TestPods.Ready("a"), TestPods.Ready("b")], [], ("True", "ReplicasReady"), ("True", "ScalingUp"), ("False", "AsExpected") },
        { "scaling down", Deployment(1, 3, 3, 3), [], [], ("True", "ReplicasReady"), ("True", "ScalingDown"), ("False", "AsExpected") },
        { "rolling out", Deployment(2, 3, 1, 2), [], [], ("True", "ReplicasReady"), ("True", "RollingOut"), ("False", "AsExpected") },
        { "new generation not yet seen", Deployment(2, 2, 2, 2, generation: 3, observed: 2), [], [], ("True", "ReplicasReady"), ("True", "ChangePending"), ("False", "AsExpected") },
        { "scale-down not yet seen", Deployment(1, 2, 2, 2, generation: 3, observed: 2), [], [], ("True", "ReplicasReady"), ("True", "ChangePending"), ("False", "AsExpected") },
        { "image cannot be pulled", Deployment(1, 1, 1, 0), [TestPods.Waiting("a", "ImagePullBackOff")], [], ("False", "ImagePullFailed"), ("True", "WaitingForReplicas"), ("True", "ImagePullFailed") },
        { "no gpu for the surge pod", Deployment(2, 3, 1, 2), [TestPods.Ready("a"), TestPods.Ready("b"), TestPods.Unschedulable("c", "Insufficient nvidia.com/gpu", 1)], [], ("True", "ReplicasReady"), ("True", "RollingOut"), ("True", "InsufficientGPU") },
        { "stuck rollout", Deployment(1, 1, 1, 0, progressing: new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "ReplicaSet \"resnet-1\" has timed out progressing." }), [TestPods.Waiting("a", "CrashLoopBackOff", restarts: 5)], [], ("False", "CrashLoopBackOff"), ("False", "ProgressDeadlineExceeded"), ("True", "ProgressDeadlineExceeded") },
        { "scaled to zero", Deployment(0, 0, 0, 0), [], [], ("False", "ScaledToZero"), ("False", "Stable"), ("False", "AsExpected") },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conditions_follow_the_observed_state(string situation, V1Deployment? deployment, V1Pod[] pods, string[] errors,
        (string, string) ready, (string, string) progressing, (string, string) degraded)
    {
        var status = Build(TestServices.Pvc(), deployment, pods, errors);

        Assert.True(ready == Of(status, ConditionTypes.Ready), $"{situation}: Ready {Of(status, ConditionTypes.Ready)}");
        Assert.True(progressing == Of(status, ConditionTypes.Progressing), $"{situation}: Progressing {Of(status, ConditionTypes.Progressing)}");
        Assert.True(degraded == Of(status, ConditionTypes.Degraded), $"{situation}: Degraded {Of(status, ConditionTypes.Degraded)}");
        Assert.All(status.Conditions!, c => Assert.Equal(3, c.ObservedGeneration));
        Assert.All(status.Conditions!, c => Assert.NotNull(c.Message));
    }

    [Fact]
    public void Messages_say_what_to_do()
    {
        var stuck = Build(TestServices.Pvc(), Deployment(1, 1, 1, 0, progressing: new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "timed out" }),
            [TestPods.Waiting("resnet-abc", "ImagePullBackOff", "not found")]);
        var invalid = Build(TestServices.Pvc(), null, errors: ["spec.model.path: '../x' must stay inside the volume", "spec.autoscaling.minReplicas: 5 > 4"]);

        Assert.Contains("timed out", ConditionSet.Find(stuck.Conditions, "Degraded")!.Message, StringComparison.Ordinal);
        Assert.Contains("Cause: pod resnet-abc: image", ConditionSet.Find(stuck.Conditions, "Degraded")!.Message, StringComparison.Ordinal);
        Assert.Equal("Invalid spec: spec.model.path: '../x' must stay inside the volume; spec.autoscaling.minReplicas: 5 > 4",
            ConditionSet.Find(invalid.Conditions, "Degraded")!.Message);
    }

    [Fact]
    public void Several_problems_are_summarised()
    {
        var status = Build(TestServices.Pvc(), Deployment(3, 3, 3, 0),
            [TestPods.Waiting("a", "ImagePullBackOff"), TestPods.Waiting("b", "ImagePullBackOff"), TestPods.NotReady("c")]);

        var message = ConditionSet.Find(status.Conditions, "Degraded")!.Message;
        Assert.StartsWith("pod a: image", message, StringComparison.Ordinal);
        Assert.EndsWith("(2 more problems: ImagePullFailed, ReadinessFailing)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replica_counts_url_selector_and_model_name_are_reported()
    {
        var status = Build(TestServices.Pvc(s => s.Model.Name = "resnet50"), Deployment(3, 4, 2, 2));

        Assert.Equal(3, status.ObservedGeneration);
        Assert.Equal((4, 2, 3), (status.Replicas!.Value, status.ReadyReplicas!.Value, status.DesiredReplicas!.Value));
        Assert.Equal("serving.platform.dev/inferenceservice=resnet", status.Selector);
        Assert.Equal("http://resnet.ml.svc.cluster.local:80/v2/models/resnet50", status.Url);
        Assert.Equal("resnet.ml.svc.cluster.local:8081", status.GrpcAddress);
        Assert.Equal("resnet50", status.ModelName);
    }

    [Theory]
    [InlineData(AutoscalingMode.External, "False", "AutoscalerDisabled")]
    [InlineData(AutoscalingMode.Off, "False", "AutoscalerDisabled")]
    [InlineData(AutoscalingMode.Builtin, "Unknown", "AwaitingMetrics")]
    public void Scaling_active_reflects_the_mode_until_the_autoscaler_speaks(AutoscalingMode mode, string status, string reason)
    {
        var built = Build(TestServices.Pvc(s => s.Autoscaling.Mode = mode), Deployment(1, 1, 1, 1));

        Assert.Equal((status, reason), Of(built, ConditionTypes.ScalingActive));
    }

    [Fact]
    public void The_autoscalers_condition_and_status_block_are_carried_over()
    {
        var service = TestServices.Pvc();
        var autoscaling = new AutoscalingStatus { QueueDepth = 12, LastDecision = new ScalingDecisionStatus { Replicas = 3, Reason = "ScaleUp", Time = T0 } };
        service.Status = new InferenceServiceStatus
        {
            Conditions = [new V1Condition { Type = "ScalingActive", Status = "True", Reason = "ValidMetrics", Message = "3 pods scraped", LastTransitionTime = T0 }],
            Autoscaling = autoscaling,
        };

        var built = Build(service, Deployment(3, 3, 3, 3), now: T0.AddMinutes(1));

        var scaling = ConditionSet.Find(built.Conditions, "ScalingActive")!;
        Assert.Equal(("True", "ValidMetrics", "3 pods scraped", T0), (scaling.Status, scaling.Reason, scaling.Message, scaling.LastTransitionTime));
        Assert.Same(autoscaling, built.Autoscaling);
        // The previous status object is not modified.
        Assert.Single(service.Status.Conditions);
    }

    [Fact]
    public void Transition_times_move_only_on_a_flip_and_an_unchanged_observation_changes_nothing()
    {
        var service = TestServices.Pvc();
        service.Status = Build(service, Deployment(2, 2, 2, 0), [TestPods.Starting("a")], now: T0.AddTicks(1234567));

        var same = Build(service, Deployment(2, 2, 2, 0), [TestPods.Starting("a")], now: T0.AddMinutes(1));
        Assert.False(StatusBuilder.Changed(service.Status, same));
        Assert.Equal(T0, ConditionSet.Find(same.Conditions, "Ready")!.LastTransitionTime);

        var ready = Build(service, Deployment(2, 2, 2, 1), [TestPods.Ready("a")], now: T0.AddMinutes(2));
        Assert.True(StatusBuilder.Changed(service.Status, ready));
        Assert.Equal(T0.AddMinutes(2), ConditionSet.Find(ready.Conditions, "Ready")!.LastTransitionTime);
        Assert.Equal(T0, ConditionSet.Find(ready.Conditions, "Degraded")!.LastTransitionTime);
    }

    [Fact]
    public void Changed_compares_every_written_field()
    {
        var a = new InferenceServiceStatus { ReadyReplicas = 1, Url = "u" };

        Assert.False(StatusBuilder.Changed(a, new InferenceServiceStatus { ReadyReplicas = 1, Url = "u" }));
        Assert.True(StatusBuilder.Changed(a, new InferenceServiceStatus { ReadyReplicas = 2, Url = "u" }));
        Assert.True(StatusBuilder.Changed(null, a));
        Assert.False(StatusBuilder.Changed(null, null));
    }
}
