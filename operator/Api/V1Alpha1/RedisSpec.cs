using System.Text.Json.Serialization;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

[Description("A Redis the replicas share. The connection string comes from a Secret, as it may hold a password; the kubelet reads it, never the operator.")]
public sealed class RedisSpec
{
    [JsonPropertyName("secretRef")]
    [Required]
    [Description("The key of a Secret in the same namespace that holds the StackExchange.Redis connection string, e.g. 'redis.cache.svc:6379,password=...'. A replica does not start while the Secret or key is missing.")]
    public SecretKeyReference SecretRef { get; set; } = new();

    [JsonPropertyName("timeoutMs")]
    [Range(1, 60000)]
    [Description("Longest a Redis call may take (ms) before the replica goes on without it. When omitted, the pod's default applies (250).")]
    public int? TimeoutMs { get; set; }
}

[Description("One key of a Secret in the InferenceService's namespace.")]
public sealed class SecretKeyReference
{
    /// <summary>A Secret's name: a DNS subdomain.</summary>
    public const string NamePattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A key of a Secret's data.</summary>
    public const string KeyPattern = "^[-._a-zA-Z0-9]+$";

    [JsonPropertyName("name")]
    [Required]
    [Length(1, 253)]
    [Pattern(NamePattern)]
    [Description("Name of the Secret.")]
    public string Name { get; set; } = "";

    [JsonPropertyName("key")]
    [Required]
    [Length(1, 253)]
    [Pattern(KeyPattern)]
    [Description("Key in the Secret's data.")]
    public string Key { get; set; } = "";
}
