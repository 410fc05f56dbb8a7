using k8s.Models;

namespace Platform.Operator.Reconciliation;

/// <summary>The objects one InferenceService should own, each stamped with its desired hash.</summary>
public sealed record DesiredState(V1Deployment Deployment, V1Service Service, V1PodDisruptionBudget PodDisruptionBudget);
