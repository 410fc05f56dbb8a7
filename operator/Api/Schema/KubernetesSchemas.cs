using System.Text.Json.Nodes;
using k8s.Models;

namespace Platform.Operator.Api.Schema;

/// <summary>
/// Schema facts about KubernetesClient model types that reflection cannot read from them:
/// fixed schemas for a few types, and which fields the Kubernetes API requires.
/// </summary>
internal static class KubernetesSchemas
{
    /// <summary>The pattern Kubernetes' own CRD generators put on resource.Quantity fields.</summary>
    public const string QuantityPattern =
        @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    /// <summary>
    /// Required fields of the Kubernetes types reachable from the spec (tolerations, affinity,
    /// env), as the Kubernetes OpenAPI lists them. The generated models carry no such marks.
    /// </summary>
    private static readonly Dictionary<Type, string[]> RequiredFields = new()
    {
        [typeof(V1NodeSelector)] = ["nodeSelectorTerms"],
        [typeof(V1NodeSelectorRequirement)] = ["key", "operator"],
        [typeof(V1PreferredSchedulingTerm)] = ["preference", "weight"],
        [typeof(V1PodAffinityTerm)] = ["topologyKey"],
        [typeof(V1WeightedPodAffinityTerm)] = ["podAffinityTerm", "weight"],
        [typeof(V1LabelSelectorRequirement)] = ["key", "operator"],
        [typeof(V1EnvVar)] = ["name"],
        [typeof(V1ObjectFieldSelector)] = ["fieldPath"],
        [typeof(V1ResourceFieldSelector)] = ["resource"],
        [typeof(V1ConfigMapKeySelector)] = ["key"],
        [typeof(V1SecretKeySelector)] = ["key"],
        [typeof(V1FileKeySelector)] = ["key", "path", "volumeName"],
    };

    public static IReadOnlyCollection<string> Required(Type type) =>
        RequiredFields.TryGetValue(type, out var fields) ? fields : [];

    /// <summary>A fixed schema for the type, or null when reflection should build it.</summary>
    public static JsonObject? Fixed(Type type)
    {
        if (type == typeof(ResourceQuantity))
        {
            return IntOrString(QuantityPattern);
        }
        if (type == typeof(IntOrString))
        {
            return IntOrString(pattern: null);
        }
        if (type == typeof(V1ObjectMeta))
        {
            // The API server owns metadata's schema; a CRD may only say it is an object.
            return new JsonObject { ["type"] = "object" };
        }
        if (type == typeof(V1Condition))
        {
            return Condition();
        }
        return null;
    }

    private static JsonObject IntOrString(string? pattern)
    {
        var schema = new JsonObject
        {
            ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
            ["x-kubernetes-int-or-string"] = true,
        };
        if (pattern is not null)
        {
            schema["pattern"] = pattern;
        }
        return schema;
    }

    /// <summary>metav1.Condition as the Kubernetes API defines and validates it.</summary>
    private static JsonObject Condition() => new()
    {
        ["type"] = "object",
        ["description"] = "Condition contains details for one aspect of the current state of this API Resource.",
        ["required"] = new JsonArray("lastTransitionTime", "message", "reason", "status", "type"),
        ["properties"] = new JsonObject
        {
            ["lastTransitionTime"] = new JsonObject
            {
                ["type"] = "string",
                ["format"] = "date-time",
                ["description"] = "When the condition last changed from one status to another.",
            },
            ["message"] = new JsonObject
            {
                ["type"] = "string",
                ["maxLength"] = 32768,
                ["description"] = "A human readable message with details about the transition.",
            },
            ["observedGeneration"] = new JsonObject
            {
                ["type"] = "integer",
                ["format"] = "int64",
                ["minimum"] = 0,
                ["description"] = "metadata.generation the condition was set from.",
            },
            ["reason"] = new JsonObject
            {
                ["type"] = "string",
                ["maxLength"] = 1024,
                ["minLength"] = 1,
                ["pattern"] = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                ["description"] = "A programmatic identifier (CamelCase) of the reason for the last transition.",
            },
            ["status"] = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray("True", "False", "Unknown"),
                ["description"] = "Status of the condition: True, False or Unknown.",
            },
            ["type"] = new JsonObject
            {
                ["type"] = "string",
                ["maxLength"] = 316,
                ["pattern"] = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                ["description"] = "Type of the condition in CamelCase.",
            },
        },
    };
}
