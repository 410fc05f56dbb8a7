using k8s.Models;
using Platform.Operator.Api.V1Alpha1;

namespace Platform.Operator.Reconciliation;

/// <summary>What the controller observed, for <see cref="StatusBuilder.Build"/>.</summary>
/// <param name="Service">The InferenceService as read (its status is the previous status).</param>
/// <param name="Deployment">Its Deployment as observed (or as just applied); null when none exists.</param>
/// <param name="Pods">Its pods (selected by <see cref="ResourceLabels.Selector"/>).</param>
/// <param name="ValidationErrors">The result of <see cref="SpecValidator.Validate"/>; empty when valid.</param>
/// <param name="Now">The controller's clock (TimeProvider), for transition times.</param>
/// <param name="ClusterProblem">What the cluster lacks for this spec (<see cref="ClusterCapabilities.ModelSourceProblem"/>); null when nothing.</param>
/// <param name="WriteFailure">The API server's refusal of this reconcile's apply, as shown to the user; null when every write succeeded.</param>
public sealed record StatusInputs(
    InferenceService Service,
    V1Deployment? Deployment,
    IReadOnlyList<V1Pod> Pods,
    IReadOnlyList<string> ValidationErrors,
    DateTime Now,
    string? ClusterProblem = null,
    string? WriteFailure = null);
