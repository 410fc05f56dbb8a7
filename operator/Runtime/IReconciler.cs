namespace Platform.Operator.Runtime;

/// <summary>Brings one object, named by its work queue key ("namespace/name"), to its desired state.</summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken);
}
