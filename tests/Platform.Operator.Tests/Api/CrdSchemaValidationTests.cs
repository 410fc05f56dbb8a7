using System.Text.Json.Nodes;
using NJsonSchema;

namespace Platform.Operator.Tests.Api;

/// <summary>
/// Validates objects against the generated openAPIV3Schema with a JSON Schema validator,
/// as the API server's schema validation would (CEL rules aside: SpecValidatorTests cover
/// each of them through the validator that mirrors them).
/// </summary>
public sealed class CrdSchemaValidationTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(CrdSchema.Root.ToJsonString()).GetAwaiter().GetResult());

    [Theory]
    [InlineData(SampleObjects.GpuService)]
    [InlineData(SampleObjects.MinimalImageService)]
    public void Samples_are_valid_before_and_after_defaulting(string yaml)
    {
        var obj = YamlJson.Parse(yaml)!;
        Assert.Empty(Errors(obj));
        SchemaDefaulter.Apply(CrdSchema.Root, obj);
        Assert.Empty(Errors(obj));
    }

    [Theory]
    [InlineData("spec.serving.maxBatchSize", "0", "spec.serving.maxBatchSize")]
    [InlineData("spec.serving.maxBatchSize", "2048", "spec.serving.maxBatchSize")]
    [InlineData("spec.serving.maxQueueDelayMs", "-1", "spec.serving.maxQueueDelayMs")]
    [InlineData("spec.serving.instances", "17", "spec.serving.instances")]
    [InlineData("spec.serving.executionProvider", "\"tpu\"", "spec.serving.executionProvider")]
    [InlineData("spec.serving.warmupBatchSizes", "[0]", "spec.serving.warmupBatchSizes[0]")]
    [InlineData("spec.serving.warmupBatchSizes", "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]", "spec.serving.warmupBatchSizes")]
    [InlineData("spec.resources.gpu", "-1", "spec.resources.gpu")]
    [InlineData("spec.resources.cpu", "\"lots\"", "spec.resources.cpu")]
    [InlineData("spec.resources.memory", "true", "spec.resources.memory")]
    [InlineData("spec.model.name", "\"Bad_Name\"", "spec.model.name")]
    [InlineData("spec.model.path", "\"/etc/passwd\"", "spec.model.path")]
    [InlineData("spec.model.path", "\"models//a.onnx\"", "spec.model.path")]
    [InlineData("spec.model.source.pvc.claimName", "\"UPPER\"", "spec.model.source.pvc.claimName")]
    [InlineData("spec.autoscaling.mode", "\"Auto\"", "spec.autoscaling.mode")]
    [InlineData("spec.autoscaling.minReplicas", "-1", "spec.autoscaling.minReplicas")]
    [InlineData("spec.autoscaling.maxReplicas", "0", "spec.autoscaling.maxReplicas")]
    [InlineData("spec.autoscaling.tolerance", "1.5", "spec.autoscaling.tolerance")]
    [InlineData("spec.imagePullPolicy", "\"Sometimes\"", "spec.imagePullPolicy")]
    [InlineData("spec.replicas", "\"three\"", "spec.replicas")]
    [InlineData("spec.tolerations", "[{\"tolerationSeconds\":\"soon\"}]", "spec.tolerations[0].tolerationSeconds")]
    [InlineData("spec.env", "[{\"value\":\"x\"}]", "spec.env[0].name")]
    [InlineData("spec.rateLimits", "{}", "spec.rateLimits.limits")]
    [InlineData("spec.rateLimits", "{\"limits\":\"5 per second\"}", "spec.rateLimits.limits")]
    [InlineData("spec.rateLimits", "{\"limits\":\"2/s,,5/min\"}", "spec.rateLimits.limits")]
    [InlineData("spec.rateLimits", "{\"limits\":\"2/s\",\"apiKeyHeader\":\"X Key\"}", "spec.rateLimits.apiKeyHeader")]
    [InlineData("spec.rateLimits", "{\"limits\":\"2/s\",\"maxClients\":0}", "spec.rateLimits.maxClients")]
    [InlineData("spec.cache", "{\"ttlSeconds\":0}", "spec.cache.ttlSeconds")]
    [InlineData("spec.cache", "{\"maxBytes\":\"lots\"}", "spec.cache.maxBytes")]
    [InlineData("spec.cache", "{\"enabled\":\"yes\"}", "spec.cache.enabled")]
    [InlineData("spec.cache", "{\"redis\":{}}", "spec.cache.redis.secretRef")]
    [InlineData("spec.cache", "{\"redis\":{\"secretRef\":{\"name\":\"redis\"}}}", "spec.cache.redis.secretRef.key")]
    [InlineData("spec.cache", "{\"redis\":{\"secretRef\":{\"name\":\"Redis!\",\"key\":\"url\"}}}", "spec.cache.redis.secretRef.name")]
    [InlineData("spec.cache", "{\"redis\":{\"secretRef\":{\"name\":\"redis\",\"key\":\"url\"},\"timeoutMs\":0}}", "spec.cache.redis.timeoutMs")]
    [InlineData("spec.jobs", "{\"maxJobs\":0}", "spec.jobs.maxJobs")]
    [InlineData("spec.jobs", "{\"maxRows\":1000001}", "spec.jobs.maxRows")]
    [InlineData("spec.jobs", "{\"queueTimeoutSeconds\":86401}", "spec.jobs.queueTimeoutSeconds")]
    [InlineData("spec.preprocessing", "{\"layout\":\"CHW\"}", "spec.preprocessing.layout")]
    [InlineData("spec.preprocessing", "{\"channelOrder\":\"rgb\"}", "spec.preprocessing.channelOrder")]
    [InlineData("spec.preprocessing", "{\"dataType\":\"FP64\"}", "spec.preprocessing.dataType")]
    [InlineData("spec.preprocessing", "{\"mean\":[0.5,0.5]}", "spec.preprocessing.mean")]
    [InlineData("spec.preprocessing", "{\"std\":[1,1,-1]}", "spec.preprocessing.std[2]")]
    [InlineData("spec.preprocessing", "{\"height\":0}", "spec.preprocessing.height")]
    [InlineData("spec.preprocessing", "{\"scale\":-1}", "spec.preprocessing.scale")]
    [InlineData("spec.postprocessing", "{\"topK\":0}", "spec.postprocessing.topK")]
    [InlineData("spec.postprocessing", "{\"labelsPath\":\"/etc/passwd\"}", "spec.postprocessing.labelsPath")]
    [InlineData("spec.gpu", "{\"minFreeMemory\":\"2 GB\"}", "spec.gpu.minFreeMemory")]
    public void A_bad_field_is_refused_at_its_path(string field, string json, string expectedPath)
    {
        var obj = YamlJson.Parse(SampleObjects.GpuService)!;
        Set(obj, field, JsonNode.Parse(json));

        var errors = Errors(obj);

        Assert.Contains(errors, e => e.Path == "#/" + expectedPath);
    }

    [Fact]
    public void A_service_with_every_feature_section_is_valid_before_and_after_defaulting()
    {
        var obj = YamlJson.Parse(SampleObjects.ClassifierWithEveryFeature)!;
        Assert.Empty(Errors(obj));
        SchemaDefaulter.Apply(CrdSchema.Root, obj);
        Assert.Empty(Errors(obj));
        Assert.True((bool)obj["spec"]!["cache"]!["enabled"]!);
        Assert.True((bool)obj["spec"]!["jobs"]!["enabled"]!);
    }

    [Theory]
    [InlineData("2/s")]
    [InlineData("2/s, 5/min, 100/h")]
    [InlineData(" 50/10s,7/2d ")]
    [InlineData("1/second, 2/minutes, 3/hours, 4/days")]
    [InlineData("5/2sec, 6/m, 7/3h, 8/2d, 9/30 s")]
    public void Rate_limit_lists_in_the_pods_grammar_match_the_schema_pattern(string limits)
    {
        var obj = YamlJson.Parse(SampleObjects.MinimalImageService)!;
        Set(obj, "spec.rateLimits", new JsonObject { ["limits"] = limits });

        Assert.Empty(Errors(obj));
        Assert.True(Platform.Contracts.RateLimitGrammar.TryParseList(limits, out _, out var error), error);
    }

    [Theory]
    [InlineData("spec.model.path")]
    [InlineData("spec.model.source")]
    [InlineData("spec.model")]
    [InlineData("spec")]
    public void A_missing_required_field_is_refused(string field)
    {
        var obj = YamlJson.Parse(SampleObjects.MinimalImageService)!;
        var parts = field.Split('.');
        var parent = parts[..^1].Aggregate((JsonNode)obj, (node, part) => node[part]!);
        parent.AsObject().Remove(parts[^1]);

        Assert.Contains(Errors(obj), e => e.Kind == NJsonSchema.Validation.ValidationErrorKind.PropertyRequired && e.Property == parts[^1]);
    }

    [Fact]
    public void Status_conditions_must_have_a_known_status_and_a_reason()
    {
        var obj = YamlJson.Parse(SampleObjects.MinimalImageService)!;
        obj["status"] = JsonNode.Parse("""
            {"conditions":[{"type":"Ready","status":"Maybe","reason":"","message":"","lastTransitionTime":"2026-01-01T00:00:00Z"}]}
            """);

        var errors = Errors(obj);

        Assert.Contains(errors, e => e.Path == "#/status.conditions[0].status");
        Assert.Contains(errors, e => e.Path == "#/status.conditions[0].reason");
    }

    private static List<NJsonSchema.Validation.ValidationError> Errors(JsonNode obj) =>
        [.. Flatten(Schema.Value.Validate(obj.ToJsonString()))];

    private static IEnumerable<NJsonSchema.Validation.ValidationError> Flatten(IEnumerable<NJsonSchema.Validation.ValidationError> errors) =>
        errors.SelectMany(e => e is NJsonSchema.Validation.ChildSchemaValidationError child
            ? new[] { e }.Concat(Flatten(child.Errors.SelectMany(kv => kv.Value)))
            : [e]);

    private static void Set(JsonNode obj, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = obj;
        foreach (var part in parts[..^1])
        {
            parent = parent[part] ??= new JsonObject();
        }
        parent[parts[^1]] = value;
    }
}
