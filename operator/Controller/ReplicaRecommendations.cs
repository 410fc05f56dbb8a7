using System.Collections.Concurrent;

namespace Platform.Operator.Controller;

/// <summary>The builtin autoscaler's latest replica decision per InferenceService, read by reconcile.</summary>
public sealed class ReplicaRecommendations : IReplicaRecommendations
{
    private readonly ConcurrentDictionary<string, int> _decisions = new();

    public int? DesiredReplicas(string key) => _decisions.TryGetValue(key, out var replicas) ? replicas : null;
    public void Set(string key, int replicas) => _decisions[key] = replicas;
    public void Remove(string key) => _decisions.TryRemove(key, out _);
}
