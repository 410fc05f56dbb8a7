using System.Text.Json.Nodes;

namespace Platform.Operator.Tests.Api;

public sealed class CrdSchemaTests
{
    [Fact]
    public void Names_scope_and_version_are_those_of_the_api()
    {
        var crd = CrdSchema.Crd;
        Assert.Equal("inferenceservices.serving.platform.dev", (string?)crd["metadata"]!["name"]);
        var spec = crd["spec"]!;
        Assert.Equal("serving.platform.dev", (string?)spec["group"]);
        Assert.Equal("Namespaced", (string?)spec["scope"]);
        Assert.Equal("InferenceService", (string?)spec["names"]!["kind"]);
        Assert.Equal("inferenceservices", (string?)spec["names"]!["plural"]);
        Assert.Equal(["infsvc"], spec["names"]!["shortNames"]!.AsArray().Select(n => (string?)n));
        var version = CrdSchema.Version;
        Assert.Equal("v1alpha1", (string?)version["name"]);
        Assert.True((bool)version["served"]!);
        Assert.True((bool)version["storage"]!);
    }

    [Fact]
    public void Status_and_scale_subresources_point_at_the_replica_fields()
    {
        var subresources = CrdSchema.Version["subresources"]!;
        Assert.NotNull(subresources["status"]);
        Assert.Equal(".spec.replicas", (string?)subresources["scale"]!["specReplicasPath"]);
        Assert.Equal(".status.replicas", (string?)subresources["scale"]!["statusReplicasPath"]);
        Assert.Equal(".status.selector", (string?)subresources["scale"]!["labelSelectorPath"]);
        Assert.Equal("integer", (string?)CrdSchema.At("spec.replicas")["type"]);
        Assert.Equal("integer", (string?)CrdSchema.At("status.replicas")["type"]);
        Assert.Equal("string", (string?)CrdSchema.At("status.selector")["type"]);
    }

    [Fact]
    public void Printer_columns_show_model_readiness_url_and_age()
    {
        var columns = CrdSchema.Version["additionalPrinterColumns"]!.AsArray()
            .ToDictionary(c => (string)c!["name"]!, c => (string)c!["jsonPath"]!);
        Assert.Equal(".status.modelName", columns["Model"]);
        Assert.Equal(".status.readyReplicas", columns["Ready"]);
        Assert.Equal(".status.desiredReplicas", columns["Desired"]);
        Assert.Equal(".status.conditions[?(@.type==\"Ready\")].status", columns["Status"]);
        Assert.Equal(".status.url", columns["URL"]);
        Assert.Equal(".metadata.creationTimestamp", columns["Age"]);
    }

    [Theory]
    [InlineData("spec.serving.maxBatchSize", 8, 1, 1024)]
    [InlineData("spec.serving.maxQueueDelayMs", 2, 0, 10000)]
    [InlineData("spec.serving.queueCapacity", 256, 1, 100000)]
    [InlineData("spec.serving.timeoutMs", 30000, 1, 3600000)]
    [InlineData("spec.serving.drainTimeoutSeconds", 30, 0, 3600)]
    [InlineData("spec.serving.priorityLevels", 2, 1, 16)]
    [InlineData("spec.resources.gpu", 0, 0, 16)]
    [InlineData("spec.autoscaling.metricsIntervalSeconds", 5, 1, 300)]
    [InlineData("spec.autoscaling.scaleUp.stabilizationWindowSeconds", 0, 0, 3600)]
    [InlineData("spec.autoscaling.scaleDown.stabilizationWindowSeconds", 30, 0, 3600)]
    public void Integer_fields_carry_their_default_and_bounds(string path, int defaultValue, int minimum, int maximum)
    {
        var schema = CrdSchema.At(path);
        Assert.Equal("integer", (string?)schema["type"]);
        Assert.Equal(defaultValue, Number(schema["default"]));
        Assert.Equal(minimum, Number(schema["minimum"]));
        Assert.Equal(maximum, Number(schema["maximum"]));
    }

    [Fact]
    public void Instances_are_optional_so_the_pod_can_choose_its_layout()
    {
        var schema = CrdSchema.At("spec.serving.instances");
        Assert.Equal("integer", (string?)schema["type"]);
        Assert.Null(schema["default"]);
        Assert.Equal(1, Number(schema["minimum"]));
        Assert.Equal(16, Number(schema["maximum"]));
        Assert.Contains("picks the fastest", (string?)schema["description"], StringComparison.Ordinal);
    }

    [Fact]
    public void Autoscaling_defaults_and_cross_field_rule()
    {
        Assert.Equal("Builtin", (string?)CrdSchema.At("spec.autoscaling.mode")["default"]);
        Assert.Equal(["Builtin", "External", "Off"], CrdSchema.At("spec.autoscaling.mode")["enum"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(1, Number(CrdSchema.At("spec.autoscaling.minReplicas")["default"]));
        Assert.Equal(0, Number(CrdSchema.At("spec.autoscaling.minReplicas")["minimum"]));
        Assert.Equal(4, Number(CrdSchema.At("spec.autoscaling.maxReplicas")["default"]));
        Assert.Equal(1, Number(CrdSchema.At("spec.autoscaling.maxReplicas")["minimum"]));
        Assert.Equal(8, Number(CrdSchema.At("spec.autoscaling.targetQueueDepth")["default"]));
        Assert.Equal(0.1, Number(CrdSchema.At("spec.autoscaling.tolerance")["default"]));
        Assert.Null(CrdSchema.At("spec.autoscaling.targetP95LatencyMs")["default"]);
        Assert.Contains("!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas", Rules("spec.autoscaling"));
    }

    [Fact]
    public void Optional_objects_default_to_empty_so_their_inner_defaults_apply()
    {
        foreach (var path in new[] { "spec.serving", "spec.resources", "spec.autoscaling", "spec.autoscaling.scaleUp", "spec.autoscaling.scaleDown" })
        {
            Assert.Equal("{}", CrdSchema.At(path)["default"]!.ToJsonString());
        }
    }

    [Fact]
    public void Model_source_is_one_of_pvc_or_image_and_paths_cannot_escape()
    {
        Assert.Contains("has(self.pvc) != has(self.image)", Rules("spec.model.source"));
        Assert.Contains(Rules("spec.model.path"), r => r.Contains("'/../'", StringComparison.Ordinal));
        Assert.Equal(["path", "source"], Required("spec.model"));
        Assert.Equal(["claimName"], Required("spec.model.source.pvc"));
        Assert.Equal(["reference"], Required("spec.model.source.image"));
        Assert.Equal("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", (string?)CrdSchema.At("spec.model.name")["pattern"]);
        Assert.Equal(["model"], Required("spec"));
        Assert.Equal(["spec"], Required(""));
    }

    [Fact]
    public void Execution_provider_is_an_enum_of_pod_setting_values_and_needs_a_gpu_for_cuda()
    {
        Assert.Equal(["cpu", "cuda"], CrdSchema.At("spec.serving.executionProvider")["enum"]!.AsArray().Select(n => (string?)n));
        Assert.Null(CrdSchema.At("spec.serving.executionProvider")["default"]);
        Assert.Contains(Rules("spec"), r => r.Contains("'cuda'", StringComparison.Ordinal) && r.Contains("self.resources.gpu > 0", StringComparison.Ordinal));
        Assert.Contains(Rules("spec.serving"), r => r.Contains("self.warmupBatchSizes.all(b, b <= self.maxBatchSize)", StringComparison.Ordinal));
        // CEL over a list needs a bound for the API server's cost estimate.
        Assert.Equal(16, Number(CrdSchema.At("spec.serving.warmupBatchSizes")["maxItems"]));
    }

    [Fact]
    public void Quantities_are_int_or_string_with_the_quantity_pattern()
    {
        foreach (var path in new[] { "spec.resources.cpu", "spec.resources.memory" })
        {
            var schema = CrdSchema.At(path);
            Assert.True((bool)schema["x-kubernetes-int-or-string"]!);
            Assert.Null(schema["type"]);
            Assert.Equal(["integer", "string"], schema["anyOf"]!.AsArray().Select(a => (string?)a!["type"]));
            Assert.StartsWith(@"^(\+|-)?", (string?)schema["pattern"]);
        }
    }

    [Fact]
    public void Conditions_are_a_list_map_keyed_by_type_with_the_metav1_condition_schema()
    {
        var conditions = CrdSchema.At("status.conditions");
        Assert.Equal("map", (string?)conditions["x-kubernetes-list-type"]);
        Assert.Equal(["type"], conditions["x-kubernetes-list-map-keys"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["lastTransitionTime", "message", "reason", "status", "type"], Required("status.conditions.[]"));
        Assert.Equal(["True", "False", "Unknown"], CrdSchema.At("status.conditions.[].status")["enum"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("date-time", (string?)CrdSchema.At("status.conditions.[].lastTransitionTime")["format"]);
    }

    [Fact]
    public void Env_is_a_list_map_keyed_by_name_and_kubernetes_types_keep_their_required_fields()
    {
        Assert.Equal("map", (string?)CrdSchema.At("spec.env")["x-kubernetes-list-type"]);
        Assert.Equal(["name"], Required("spec.env.[]"));
        Assert.Equal(["topologyKey"], Required("spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.[]"));
        Assert.Equal(["key", "operator"], Required("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.[].matchExpressions.[]"));
        Assert.Equal("integer", (string?)CrdSchema.At("spec.tolerations.[].tolerationSeconds")["type"]);
    }

    [Fact]
    public void Root_metadata_is_only_declared_an_object_and_the_name_is_checked_by_cel()
    {
        Assert.Equal("""{"type":"object"}""", CrdSchema.At("metadata").ToJsonString());
        Assert.Contains(Rules(""), r => r.Contains("self.metadata.name.matches", StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_is_structural()
    {
        var problems = new List<string>();
        CheckStructural(CrdSchema.Root, "", problems);
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_field_of_the_api_types_has_a_description_for_kubectl_explain()
    {
        // The Kubernetes types inside (affinity, tolerations, env) are described on the field
        // that holds them; kubectl explain pod.spec documents their insides.
        var missing = new List<string>();
        CollectUndescribed(CrdSchema.At("spec"), "spec", missing, ["spec.affinity", "spec.tolerations", "spec.env", "spec.nodeSelector"]);
        CollectUndescribed(CrdSchema.At("status"), "status", missing, ["status.conditions"]);
        Assert.Empty(missing);
    }

    private static void CheckStructural(JsonObject schema, string path, List<string> problems)
    {
        var hasType = schema["type"] is not null
            || schema["x-kubernetes-int-or-string"] is not null
            || schema["x-kubernetes-preserve-unknown-fields"] is not null;
        if (!hasType)
        {
            problems.Add($"{path}: no type");
        }
        if (schema["properties"] is not null && schema["additionalProperties"] is not null)
        {
            problems.Add($"{path}: both properties and additionalProperties");
        }
        if (schema["$ref"] is not null || schema["nullable"] is not null)
        {
            problems.Add($"{path}: $ref or nullable");
        }
        foreach (var (name, child) in schema["properties"]?.AsObject() ?? [])
        {
            CheckStructural(child!.AsObject(), $"{path}.{name}", problems);
        }
        if (schema["items"] is JsonObject items)
        {
            CheckStructural(items, path + "[]", problems);
        }
        if (schema["additionalProperties"] is JsonObject values)
        {
            CheckStructural(values, path + "{}", problems);
        }
    }

    private static void CollectUndescribed(JsonObject schema, string path, List<string> missing, string[] skip)
    {
        if (skip.Contains(path))
        {
            return;
        }
        if (schema["description"] is null)
        {
            missing.Add(path);
        }
        foreach (var (name, child) in schema["properties"]?.AsObject() ?? [])
        {
            CollectUndescribed(child!.AsObject(), $"{path}.{name}", missing, skip);
        }
    }

    private static double Number(JsonNode? node) =>
        double.Parse(node?.ToJsonString() ?? throw new Xunit.Sdk.XunitException("no value"), System.Globalization.CultureInfo.InvariantCulture);

    private static List<string> Rules(string path) =>
        [.. ((path.Length == 0 ? CrdSchema.Root : CrdSchema.At(path))["x-kubernetes-validations"]?.AsArray() ?? []).Select(r => (string)r!["rule"]!)];

    private static List<string?> Required(string path) =>
        [.. ((path.Length == 0 ? CrdSchema.Root : CrdSchema.At(path))["required"]?.AsArray() ?? []).Select(n => (string?)n)];
}
