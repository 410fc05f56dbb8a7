using System.Text.Json.Serialization;
using k8s.Models;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

[Description("How replicas with GPUs (resources.gpu > 0) guard the GPU's memory.")]
public sealed class GpuSpec
{
    [JsonPropertyName("minFreeMemory")]
    [Description("Batches wait while the serving GPU has less free memory than this, e.g. '2Gi', instead of failing out of memory; '0' turns the check off. Needs resources.gpu of at least 1.")]
    public ResourceQuantity? MinFreeMemory { get; set; }
}
