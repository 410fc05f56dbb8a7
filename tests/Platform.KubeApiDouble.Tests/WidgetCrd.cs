using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Platform.KubeApiDouble.Tests;

/// <summary>A small CRD written for these tests: defaults, bounds, an enum, int-or-string, CEL rules, status and scale.</summary>
internal static class WidgetCrd
{
    public const string Group = "test.platform.dev";
    public const string Version = "v1alpha1";
    public const string Plural = "widgets";

    public static readonly GroupVersionResource Resource = new(Group, Version, Plural);

    public const string Json = """
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": { "name": "widgets.test.platform.dev" },
          "spec": {
            "group": "test.platform.dev",
            "scope": "Namespaced",
            "names": { "plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"] },
            "versions": [{
              "name": "v1alpha1", "served": true, "storage": true,
              "subresources": {
                "status": {},
                "scale": { "specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas", "labelSelectorPath": ".status.selector" }
              },
              "additionalPrinterColumns": [{ "name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas" }],
              "schema": { "openAPIV3Schema": {
                "type": "object",
                "properties": {
                  "spec": {
                    "type": "object",
                    "required": ["model"],
                    "x-kubernetes-validations": [
                      { "rule": "self.minReplicas <= self.maxReplicas", "message": "minReplicas must not exceed maxReplicas" },
                      { "rule": "!has(self.port) || self.port != 22", "message": "port 22 is reserved" },
                      { "rule": "self.model.split('/').size() == 2" }
                    ],
                    "properties": {
                      "model": { "type": "string", "minLength": 1, "x-kubernetes-validations": [{ "rule": "self == oldSelf", "message": "model is immutable" }] },
                      "replicas": { "type": "integer", "minimum": 0, "default": 1 },
                      "minReplicas": { "type": "integer", "minimum": 0, "default": 1 },
                      "maxReplicas": { "type": "integer", "minimum": 1, "maximum": 100, "default": 4 },
                      "mode": { "type": "string", "enum": ["latency", "throughput"], "default": "latency" },
                      "port": { "x-kubernetes-int-or-string": true, "anyOf": [{ "type": "integer" }, { "type": "string" }] },
                      "extra": { "type": "object", "x-kubernetes-preserve-unknown-fields": true },
                      "resources": { "type": "object", "default": {}, "properties": { "gpu": { "type": "integer", "default": 0 } } },
                      "note": { "type": "string", "nullable": true, "maxLength": 10 }
                    }
                  },
                  "status": {
                    "type": "object",
                    "properties": {
                      "replicas": { "type": "integer" },
                      "selector": { "type": "string" },
                      "conditions": { "type": "array", "items": { "type": "object", "properties": { "type": { "type": "string" }, "status": { "type": "string" } } } }
                    }
                  }
                }
              } }
            }]
          }
        }
        """;

    public static async Task RegisterAsync(IKubernetes client) =>
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(Json));

    public static JsonObject Widget(string name, string spec) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = JsonNode.Parse(spec),
    };

    /// <summary>The JSON of an object the custom objects API returned.</summary>
    public static JsonObject AsJson(object response) => (JsonObject)JsonSerializer.SerializeToNode(response)!;
}
