namespace Platform.Operator.Runtime;

/// <summary>Work that runs beside the reconcile workers while this replica leads, and stops with them.</summary>
public interface ILeaderLoop
{
    Task RunAsync(CancellationToken cancellationToken);
}
