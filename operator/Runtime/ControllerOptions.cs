namespace Platform.Operator.Runtime;

/// <summary>How the runner drains the work queue.</summary>
/// <param name="Workers">Keys reconciled at once (never the same key twice at once).</param>
/// <param name="ResyncPeriod">Every known key is re-queued this often, so drift nothing reports is still corrected.</param>
public sealed record ControllerOptions(int Workers, TimeSpan ResyncPeriod);
