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
    public void A_bad_field_is_refused_at_its_path(string field, string json, string expectedPath)
    {
        var obj = YamlJson.Parse(SampleObjects.GpuService)!;
        Set(obj, field, JsonNode.Parse(json));

        var errors = Errors(obj);

        Assert.Contains(errors, e => e.Path == "#/" + expectedPath);
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
