using System.Collections.Concurrent;
using Platform.Operator.Controller;

namespace Platform.Operator.Autoscaling.Actuation;

/// <summary>
/// The autoscaler's state per InferenceService key. Reconcile reads the latest decision (the
/// Deployment's replicas) and the published snapshot (status) from here, so the
/// InferenceService has a single writer.
/// </summary>
public sealed class AutoscalerRegistry
{
    private readonly ConcurrentDictionary<string, ServiceAutoscalerState> _states = new();

    public ServiceAutoscalerState For(string key) => _states.GetOrAdd(key, _ => new ServiceAutoscalerState());
    public ServiceAutoscalerState? Find(string key) => _states.GetValueOrDefault(key);
    public void Remove(string key) => _states.TryRemove(key, out _);
    public IEnumerable<string> Keys => _states.Keys;

    public int? DesiredReplicas(string key) => _states.TryGetValue(key, out var state) ? state.LastDecision?.DesiredReplicas : null;
}
