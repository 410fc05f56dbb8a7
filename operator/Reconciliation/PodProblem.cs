namespace Platform.Operator.Reconciliation;

/// <summary>Something wrong with one pod, as a condition reason and an actionable message.</summary>
public sealed record PodProblem(string Pod, string Reason, string Message);
