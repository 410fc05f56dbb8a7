using k8s;
using k8s.Models;
using Platform.KubeApiDouble;
using Platform.KubeApiDouble.Diagnostics;
using Platform.KubeApiDouble.Faults;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Tests.EndToEnd;

/// <summary>Writes the API server refuses show in status and events, and clear when a write succeeds.</summary>
public sealed class ApiRefusalEndToEndTests
{
    private const string FieldNotDeclared =
        "failed to create typed patch object (ml/refused; apps/v1, Kind=Deployment): errors:\n  .spec.template.spec.containers[name=\"server\"].lifecycle.preStop.sleep: field not declared in schema";

    [Fact]
    public async Task A_refused_apply_is_degraded_with_the_servers_message_and_a_warning_and_clears_once_an_apply_succeeds()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        var refusal = cluster.Api.Faults.Fail(new RequestMatch(Verb: "patch", Resource: "deployments"), 500, times: 1000, message: FieldNotDeclared);
        await cluster.CreateAsync(OperatorCluster.NewService("refused"));

        var degraded = await cluster.WaitForAsync(OperatorCluster.InferenceServices, "refused",
            s => OperatorCluster.Condition(s, ConditionTypes.Degraded, "reason") == ConditionReasons.ApplyFailed);
        Assert.Equal("True", OperatorCluster.Condition(degraded, ConditionTypes.Degraded));
        var message = OperatorCluster.Condition(degraded, ConditionTypes.Degraded, "message")!;
        Assert.StartsWith("Applying Deployment refused was refused (500 InternalError): Internal error occurred: failed to create typed patch object", message, StringComparison.Ordinal);
        Assert.Contains("lifecycle.preStop.sleep: field not declared in schema", message, StringComparison.Ordinal);
        Assert.Equal(ConditionReasons.ApplyFailed, OperatorCluster.Condition(degraded, ConditionTypes.Ready, "reason"));
        await cluster.Api.WaitForAsync(() => cluster.Events("refused").Any(e =>
            (string?)e["reason"] == ConditionReasons.ApplyFailed && (string?)e["type"] == "Warning" && ((string?)e["message"])!.Contains("field not declared", StringComparison.Ordinal)));

        cluster.Api.Faults.Clear();
        await cluster.WaitForAsync(KubeResources.Deployments, "refused");
        var cleared = await cluster.WaitForAsync(OperatorCluster.InferenceServices, "refused",
            s => OperatorCluster.Condition(s, ConditionTypes.Degraded, "reason") == ConditionReasons.AsExpected);
        Assert.Equal("False", OperatorCluster.Condition(cleared, ConditionTypes.Degraded));
        Assert.True(refusal.Hits >= 1);
        // The same refusal, retried with back-off, was one event, not one per attempt.
        Assert.Single(cluster.Events("refused"), e => (string?)e["reason"] == ConditionReasons.ApplyFailed);
    }

    [Fact]
    public async Task A_refused_request_is_not_retried_in_a_loop_and_a_change_to_the_spec_is_tried_at_once()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        cluster.Api.Faults.Fail(new RequestMatch(Verb: "patch", Resource: "deployments"), 422, times: 1000,
            message: "Deployment.apps \"denied\" is invalid: spec.template.spec.volumes[0].image: Forbidden: disabled by the ImageVolume feature gate");
        await cluster.CreateAsync(OperatorCluster.NewService("denied"));
        await cluster.WaitForAsync(OperatorCluster.InferenceServices, "denied",
            s => OperatorCluster.Condition(s, ConditionTypes.Degraded, "reason") == ConditionReasons.ApplyFailed);

        var mark = cluster.Api.Requests.Mark();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(cluster.Api.Requests.Since(mark), r => r.Resource == "deployments" && r.IsWrite);

        cluster.Api.Faults.Clear();
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"serving":{"maxBatchSize":16}}}""", V1Patch.PatchType.MergePatch),
            InferenceService.GroupName, InferenceService.Version, "ml", InferenceService.Plural, "denied");
        await cluster.WaitForAsync(KubeResources.Deployments, "denied");
        await cluster.WaitForAsync(OperatorCluster.InferenceServices, "denied",
            s => OperatorCluster.Condition(s, ConditionTypes.Degraded, "reason") == ConditionReasons.AsExpected && OperatorCluster.Long(s["status"]?["observedGeneration"]) == 2);
    }

    [Fact]
    public async Task A_refused_status_write_is_a_warning_event_and_the_status_follows_on_the_retry()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        cluster.Api.Faults.Fail(new RequestMatch(Verb: "patch", Resource: "inferenceservices", Subresource: "status"), 422, times: 1,
            message: "InferenceService.serving.platform.dev \"status\" is invalid: status.url: Invalid value: \"x\"");
        await cluster.CreateAsync(OperatorCluster.NewService("status"));

        await cluster.Api.WaitForAsync(() => cluster.Events("status").Any(e =>
            (string?)e["reason"] == ConditionReasons.ApplyFailed && (string?)e["type"] == "Warning"
            && ((string?)e["message"])!.StartsWith("Writing the status was refused (422", StringComparison.Ordinal)));
        await cluster.WaitForAsync(OperatorCluster.InferenceServices, "status",
            s => s["status"]?["url"] is not null && OperatorCluster.Condition(s, ConditionTypes.Degraded, "reason") == ConditionReasons.AsExpected);
    }

    [Fact]
    public async Task A_429s_retry_after_is_waited_out_before_the_next_attempt()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        cluster.Api.Faults.TooManyRequests(new RequestMatch(Verb: "patch", Resource: "services"), retryAfterSeconds: 2, times: 1);
        await cluster.CreateAsync(OperatorCluster.NewService("throttled"));
        await cluster.WaitForAsync(KubeResources.Services, "throttled");
        // The double logs a request after it has answered it: the object can be visible first.
        List<RecordedRequest> Attempts() => cluster.Api.Requests.All.Where(r => r.Resource == "services" && r.Verb == "patch").OrderBy(r => r.Sequence).ToList();
        await cluster.Api.WaitForAsync(() => Attempts().Count >= 2);

        var attempts = Attempts();
        Assert.Equal(429, attempts[0].StatusCode);
        Assert.True(attempts[1].Time - attempts[0].Time >= TimeSpan.FromSeconds(1.9),
            $"retried {(attempts[1].Time - attempts[0].Time).TotalMilliseconds} ms after a Retry-After of 2 s");
    }
}
