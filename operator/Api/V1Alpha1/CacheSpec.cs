using System.Text.Json.Serialization;
using k8s.Models;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

[Description("Response cache: a request identical to one answered within ttlSeconds gets the stored answer without running the model. Per replica in memory, or shared by all replicas through redis. Fields left out take the pod's defaults. When the section is omitted, no cache.")]
public sealed class CacheSpec
{
    [JsonPropertyName("enabled")]
    [Default(true)]
    [Description("Whether the cache is on; setting the section turns it on unless this is false.")]
    public bool Enabled { get; set; } = true;

    [JsonPropertyName("ttlSeconds")]
    [Range(1, 2592000)]
    [Description("How long (s) an answer stays cached. Pod default: 300.")]
    public int? TtlSeconds { get; set; }

    [JsonPropertyName("maxBytes")]
    [Description("Memory the in-process cache of each replica may hold, e.g. '256Mi' (at most 1Ti); least recently used answers go first. Count it in resources.memory. Pod default: 64Mi.")]
    public ResourceQuantity? MaxBytes { get; set; }

    [JsonPropertyName("maxEntryBytes")]
    [Description("Largest single answer that is cached, e.g. '1Mi' (at most 512Mi). Pod default: 1Mi.")]
    public ResourceQuantity? MaxEntryBytes { get; set; }

    [JsonPropertyName("redis")]
    [Description("Share one cache among all replicas in this Redis instead of caching in each replica.")]
    public RedisSpec? Redis { get; set; }
}
