using System.Text.Json.Serialization;
using k8s.Models;
using Platform.Operator.Api.Schema;

namespace Platform.Operator.Api.V1Alpha1;

/// <summary>
/// Per-replica resources. CPU and memory are each set as both request and limit, so a replica
/// with both gets the Guaranteed QoS class: no CPU stealing from neighbours to spoil tail
/// latency, last in line for eviction, and exclusive cores under the static CPU manager.
/// </summary>
[Description("Compute resources of each replica. cpu and memory are set as both the request and the limit (Guaranteed QoS when both are given); an omitted one is left unset.")]
public sealed class ResourcesSpec
{
    [JsonPropertyName("cpu")]
    [Description("CPU of each replica, e.g. '2' or '500m'. The pod sizes its ONNX Runtime threads from this limit (its cgroup CPU quota).")]
    public ResourceQuantity? Cpu { get; set; }

    [JsonPropertyName("memory")]
    [Description("Memory of each replica, e.g. '4Gi'. Must hold the model, its runtime and the queued requests.")]
    public ResourceQuantity? Memory { get; set; }

    [JsonPropertyName("gpu")]
    [Default(0)]
    [Range(0, 16)]
    [Description("Number of NVIDIA GPUs (nvidia.com/gpu) of each replica.")]
    public int Gpu { get; set; }
}
