using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.KubeApiDouble;
using Platform.KubeApiDouble.Faults;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Tests.EndToEnd;

/// <summary>The operator against the Kubernetes API double: create, update, scale, delete, bad input, steady state.</summary>
public sealed class ReconcileEndToEndTests
{
    [Fact]
    public async Task Creating_an_inference_service_deploys_it_and_reports_status_and_events()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.NewService("resnet"));

        var deployment = await cluster.WaitForAsync(KubeResources.Deployments, "resnet");
        Assert.Equal("InferenceService", (string?)deployment["metadata"]!["ownerReferences"]![0]!["kind"]);
        Assert.True((bool)deployment["metadata"]!["ownerReferences"]![0]!["controller"]!);
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("registry.example.com/inference-pod:1", (string?)container["image"]);
        Assert.True((bool)container["volumeMounts"]!.AsArray().First(m => (string?)m!["mountPath"] == "/models")!["readOnly"]!);
        Assert.Equal("/v2/health/ready", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        await cluster.WaitForAsync(KubeResources.Services, "resnet");
        await cluster.WaitForAsync(KubeResources.PodDisruptionBudgets, "resnet");

        var service = await cluster.WaitForAsync(OperatorCluster.InferenceServices, "resnet", s => s["status"]?["observedGeneration"] is not null);
        Assert.Equal(1, OperatorCluster.Long(service["status"]!["observedGeneration"]));
        Assert.Equal("False", OperatorCluster.Condition(service, ConditionTypes.Ready));
        Assert.Equal("http://resnet.ml.svc.cluster.local:80/v2/models/resnet", (string?)service["status"]!["url"]);
        await cluster.Api.WaitForAsync(() => cluster.Events("resnet").Any(e => (string?)e["reason"] == "Created"));

        // The Deployment's controller reports ready replicas: the InferenceService turns Ready.
        cluster.Api.Store.Mutate(KubeResources.Deployments, "ml", "resnet", d =>
            d["status"] = new JsonObject { ["observedGeneration"] = OperatorCluster.Long(d["metadata"]!["generation"]), ["replicas"] = 1, ["readyReplicas"] = 1, ["availableReplicas"] = 1, ["updatedReplicas"] = 1 });
        service = await cluster.WaitForAsync(OperatorCluster.InferenceServices, "resnet", s => OperatorCluster.Condition(s, ConditionTypes.Ready) == "True");
        Assert.Equal(1, (int)service["status"]!["readyReplicas"]!);
    }

    [Fact]
    public async Task A_spec_change_rolls_the_deployment_and_is_observed()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.NewService("mnet"));
        await cluster.WaitForAsync(KubeResources.Deployments, "mnet");
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"serving":{"maxBatchSize":32}}}""", V1Patch.PatchType.MergePatch),
            InferenceService.GroupName, InferenceService.Version, "ml", InferenceService.Plural, "mnet");
        await cluster.WaitForAsync(KubeResources.Deployments, "mnet", d =>
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray().Any(e => (string?)e!["name"] == "Batching__MaxBatchSize" && (string?)e["value"] == "32"));
        await cluster.WaitForAsync(OperatorCluster.InferenceServices, "mnet", s => OperatorCluster.Long(s["status"]?["observedGeneration"]) == 2);
    }

    [Fact]
    public async Task An_edit_of_the_deployment_outside_the_operator_is_restored_with_a_warning()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.NewService("edited", s => s.Autoscaling.Mode = AutoscalingMode.Off));
        await cluster.WaitForAsync(KubeResources.Deployments, "edited", d => (int?)d["spec"]!["replicas"] == 1);
        await cluster.WaitForAsync(OperatorCluster.InferenceServices, "edited", s => s["status"]?["observedGeneration"] is not null);
        // kubectl scale deployment/edited --replicas=5, and a changed image, by someone else.
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"replicas":5,"template":{"spec":{"containers":[{"name":"server","image":"registry.example.com/other:2"}]}}}}""", V1Patch.PatchType.StrategicMergePatch),
            "edited", "ml");
        var restored = await cluster.WaitForAsync(KubeResources.Deployments, "edited", d =>
            (int?)d["spec"]!["replicas"] == 1 && (string?)d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] == "registry.example.com/inference-pod:1");
        Assert.True(OperatorCluster.Long(restored["metadata"]!["generation"]) >= 3);
        await cluster.Api.WaitForAsync(() => cluster.Events("edited").Any(e => (string?)e["reason"] == "Restored" && (string?)e["type"] == "Warning"));
    }

    [Fact]
    public async Task Kubectl_scale_sets_the_replicas_when_autoscaling_is_off()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.NewService("manual", s => s.Autoscaling.Mode = AutoscalingMode.Off));
        await cluster.WaitForAsync(KubeResources.Deployments, "manual", d => (int?)d["spec"]!["replicas"] == 1);
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectScaleAsync(
            new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch),
            InferenceService.GroupName, InferenceService.Version, "ml", InferenceService.Plural, "manual");
        await cluster.WaitForAsync(KubeResources.Deployments, "manual", d => (int?)d["spec"]!["replicas"] == 3);
    }

    [Fact]
    public async Task Deleting_the_inference_service_removes_everything_it_created()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.NewService("gone"));
        await cluster.WaitForAsync(KubeResources.PodDisruptionBudgets, "gone");
        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(InferenceService.GroupName, InferenceService.Version, "ml", InferenceService.Plural, "gone");
        await cluster.Api.WaitForAsync(() =>
            cluster.Get(KubeResources.Deployments, "gone") is null && cluster.Get(KubeResources.Services, "gone") is null && cluster.Get(KubeResources.PodDisruptionBudgets, "gone") is null,
            TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_service_with_a_shared_cache_gets_http_and_grpc_service_ports_and_the_secret_by_reference()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.NewService("cached", s => s.Cache = new CacheSpec
        {
            TtlSeconds = 60,
            MaxBytes = "128Mi",
            Redis = new RedisSpec { SecretRef = new SecretKeyReference { Name = "redis", Key = "connection" } },
        }));

        var service = await cluster.WaitForAsync(KubeResources.Services, "cached");
        var ports = service["spec"]!["ports"]!.AsArray()
            .Select(p => ((string?)p!["name"], (int)p["port"]!, (string?)p["targetPort"], (string?)p["appProtocol"]))
            .ToList();
        Assert.Equal([("http", 80, "http", "http"), ("grpc", 8081, "grpc", "kubernetes.io/h2c")], ports);

        var deployment = await cluster.WaitForAsync(KubeResources.Deployments, "cached");
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Contains(container["ports"]!.AsArray(), p => (string?)p!["name"] == "grpc" && (int)p["containerPort"]! == 8081);
        var env = container["env"]!.AsArray();
        Assert.Contains(env, e => (string?)e!["name"] == "Cache__MaxBytes" && (string?)e["value"] == "134217728");
        var redis = env.Single(e => (string?)e!["name"] == "Cache__Redis")!;
        Assert.Null(redis["value"]);
        Assert.Equal("connection", (string?)redis["valueFrom"]!["secretKeyRef"]!["key"]);

        var status = await cluster.WaitForAsync(OperatorCluster.InferenceServices, "cached", s => s["status"]?["grpcAddress"] is not null);
        Assert.Equal("cached.ml.svc.cluster.local:8081", (string?)status["status"]!["grpcAddress"]);
    }

    [Theory]
    [InlineData("preprocessing without postprocessing", """{"preprocessing":{}}""", "preprocessing and postprocessing go together")]
    [InlineData("gpu guard on a cpu service", """{"gpu":{"minFreeMemory":"1Gi"}}""", "gpu.minFreeMemory needs resources.gpu of at least 1")]
    [InlineData("labels outside the volume", """{"preprocessing":{},"postprocessing":{"labelsPath":"a/../../b"}}""", "labelsPath must stay inside the model volume")]
    [InlineData("zero std", """{"preprocessing":{"std":[1,0,1]},"postprocessing":{}}""", "every std entry must be greater than 0")]
    [InlineData("zero scale", """{"preprocessing":{"scale":0},"postprocessing":{}}""", "scale must be greater than 0")]
    public async Task A_feature_section_broken_against_a_cel_rule_is_refused_at_apply_time(string because, string specPatch, string message)
    {
        await using var cluster = await OperatorCluster.StartAsync("--no-operator");
        var document = JsonNode.Parse(KubernetesJson.Serialize(OperatorCluster.NewService("bad")))!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(specPatch)!.AsObject())
        {
            document["spec"]![key] = value?.DeepClone();
        }

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(document, InferenceService.GroupName, InferenceService.Version, "ml", InferenceService.Plural));

        Assert.True(422 == (int)error.Response.StatusCode, because);
        Assert.Contains(message, error.Response.Content, StringComparison.Ordinal);
        Assert.Empty(cluster.Api.UnevaluatedValidationRules);
    }

    [Fact]
    public async Task A_schema_violation_is_refused_at_apply_time_naming_the_field()
    {
        await using var cluster = await OperatorCluster.StartAsync("--no-operator");
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            cluster.CreateAsync(OperatorCluster.NewService("bad", s => s.Serving.MaxBatchSize = 0)));
        Assert.Equal(422, (int)error.Response.StatusCode);
        Assert.Contains("spec.serving.maxBatchSize", error.Response.Content);
    }

    [Fact]
    public async Task An_invalid_spec_the_schema_cannot_catch_is_reported_and_other_services_still_reconcile()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        // A CPU quantity of zero matches the schema's quantity pattern; only the operator knows it cannot run.
        await cluster.CreateAsync(OperatorCluster.NewService("broken", s => s.Resources.Cpu = "0"));
        await cluster.CreateAsync(OperatorCluster.NewService("fine"));
        var reported = await cluster.WaitForAsync(OperatorCluster.InferenceServices, "broken", s => OperatorCluster.Condition(s, ConditionTypes.Degraded) == "True");
        Assert.Equal(ConditionReasons.InvalidSpec, OperatorCluster.Condition(reported, ConditionTypes.Degraded, "reason"));
        Assert.Contains("spec.resources.cpu: '0' must be greater than zero", OperatorCluster.Condition(reported, ConditionTypes.Degraded, "message"));
        await cluster.Api.WaitForAsync(() => cluster.Events("broken").Any(e => (string?)e["reason"] == ConditionReasons.InvalidSpec && (string?)e["type"] == "Warning"));
        Assert.Null(cluster.Get(KubeResources.Deployments, "broken"));
        await cluster.WaitForAsync(KubeResources.Deployments, "fine");
    }

    [Fact]
    public async Task In_steady_state_the_operator_writes_nothing_across_resyncs()
    {
        await using var cluster = await OperatorCluster.StartAsync("--Operator:ResyncSeconds=1");
        for (var i = 0; i < 3; i++) await cluster.CreateAsync(OperatorCluster.NewService($"steady{i}"));
        for (var i = 0; i < 3; i++) await cluster.WaitForAsync(OperatorCluster.InferenceServices, $"steady{i}", s => s["status"]?["observedGeneration"] is not null);
        // Let any follow-up reconciles settle, then watch three resync periods.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var mark = cluster.Api.Requests.Mark();
        var reconcilesBefore = ReconcileCount(cluster);
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.True(ReconcileCount(cluster) > reconcilesBefore + 3, "resyncs should have reconciled every service again");
        var writes = cluster.Api.Requests.Since(mark).Where(r => r.IsWrite).Select(r => $"{r.Verb} {r.Resource}/{r.Name}").ToList();
        Assert.Empty(writes);
    }

    [Fact]
    public async Task Conflicts_throttling_and_server_errors_are_retried_until_it_converges()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        cluster.Api.Faults.Conflict(new RequestMatch(Verb: "patch", Resource: "deployments"), times: 2);
        cluster.Api.Faults.TooManyRequests(new RequestMatch(Verb: "patch", Resource: "services"), retryAfterSeconds: 1, times: 1);
        cluster.Api.Faults.ServerError(new RequestMatch(Verb: "patch", Resource: "inferenceservices", Subresource: "status"), 503, times: 2);
        await cluster.CreateAsync(OperatorCluster.NewService("flaky"));
        await cluster.WaitForAsync(KubeResources.Deployments, "flaky");
        await cluster.WaitForAsync(KubeResources.Services, "flaky");
        await cluster.WaitForAsync(OperatorCluster.InferenceServices, "flaky", s => s["status"]?["observedGeneration"] is not null);
    }

    [Fact]
    public async Task Dropped_watches_are_resumed_and_later_changes_still_reconcile()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.NewService("first"));
        await cluster.WaitForAsync(KubeResources.Deployments, "first");
        cluster.Api.Faults.DropWatches(abortConnection: true);
        cluster.Api.Faults.FailNextWatches(2, resource: "inferenceservices", statusCode: 410);
        await cluster.CreateAsync(OperatorCluster.NewService("second"));
        await cluster.WaitForAsync(KubeResources.Deployments, "second");
    }

    private static double ReconcileCount(OperatorCluster cluster)
    {
        var registry = cluster.Operators[0].Services.GetRequiredService<Prometheus.CollectorRegistry>();
        using var stream = new MemoryStream();
        registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        return text.Split('\n').Where(l => l.StartsWith("platform_operator_reconciles_total{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
