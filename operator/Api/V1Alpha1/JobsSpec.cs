using System.Text.Json.Serialization;
using k8s.Models;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

[Description("Asynchronous inference jobs (submit, then poll for the result). Fields left out take the pod's defaults; when the section is omitted, replicas serve jobs with the pod's defaults, each keeping its own.")]
public sealed class JobsSpec
{
    [JsonPropertyName("enabled")]
    [Default(true)]
    [Description("Whether replicas accept jobs.")]
    public bool Enabled { get; set; } = true;

    [JsonPropertyName("maxJobs")]
    [Range(1, 1000000)]
    [Description("Jobs a replica keeps (waiting, running and finished); the oldest finished go first, beyond it new jobs get 429. Pod default: 1000.")]
    public int? MaxJobs { get; set; }

    [JsonPropertyName("maxRows")]
    [Range(1, 1000000)]
    [Description("Most rows (along the batch axis) one job may carry; a job larger than maxBatchSize runs one batch at a time and reports its progress. Pod default: 1024.")]
    public int? MaxRows { get; set; }

    [JsonPropertyName("resultTtlSeconds")]
    [Range(1, 604800)]
    [Description("How long (s) a finished job's status and result are kept. Pod default: 600.")]
    public int? ResultTtlSeconds { get; set; }

    [JsonPropertyName("queueTimeoutSeconds")]
    [Range(1, 86400)]
    [Description("Longest (s) a job waits for its turn before it fails unrun. Pod default: 300.")]
    public int? QueueTimeoutSeconds { get; set; }

    [JsonPropertyName("maxResultBytes")]
    [Description("Largest result a job keeps, e.g. '1Mi' (1Ki to 1Gi); a larger one fails the job. A replica holds up to maxJobs times this. Pod default: 1Mi.")]
    public ResourceQuantity? MaxResultBytes { get; set; }

    [JsonPropertyName("redis")]
    [Description("Keep job status and results in this Redis, so that any replica answers for any job.")]
    public RedisSpec? Redis { get; set; }
}
