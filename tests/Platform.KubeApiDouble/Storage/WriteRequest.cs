using System.Text.Json.Nodes;

namespace Platform.KubeApiDouble.Storage;

/// <summary>The options of a write: <c>fieldManager</c>, <c>force</c>, <c>dryRun</c>, and the manager to record when none is named.</summary>
internal sealed record WriteRequest(string? FieldManager, bool Force, bool DryRun, string DefaultManager)
{
    /// <summary>A write made through the store helpers rather than HTTP.</summary>
    public static readonly WriteRequest Direct = new(null, Force: false, DryRun: false, DefaultManager: "kube-api-double");

    public string Manager => string.IsNullOrEmpty(FieldManager) ? DefaultManager : FieldManager;
}

/// <summary>The options of a delete: <c>propagationPolicy</c> and preconditions.</summary>
internal sealed record DeleteRequest(string? PropagationPolicy, string? PreconditionResourceVersion, string? PreconditionUid, bool DryRun)
{
    public static readonly DeleteRequest Default = new(null, null, null, DryRun: false);
}

/// <summary>The outcome of a delete: the object, and whether it is gone or only marked (finalizers pending).</summary>
internal sealed record DeleteResult(JsonObject Object, bool Deleted);
