namespace Platform.Operator.Runtime;

/// <summary>
/// What one reconcile reports to the runner: how it ended (the value of the reconciles metric's
/// result label) and, when the key should be looked at again without any change to watch for,
/// after how long. Errors are thrown instead; the runner retries those with back-off.
/// </summary>
public readonly record struct ReconcileResult(string Outcome, TimeSpan? RequeueAfter = null)
{
    public static ReconcileResult Success { get; } = new("success");

    /// <summary>The object is gone (or going); nothing more to do.</summary>
    public static ReconcileResult Deleted { get; } = new("deleted");

    /// <summary>The input cannot be acted on until someone changes it; a change is watched for.</summary>
    public static ReconcileResult Invalid { get; } = new("invalid");

    /// <summary>A write the API server refused for a reason retrying soon will not fix; looked at again after <paramref name="after"/>.</summary>
    public static ReconcileResult Refused(TimeSpan after) => new("refused", after);
}
